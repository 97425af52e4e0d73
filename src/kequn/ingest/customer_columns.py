"""A customers file's columns beyond its mapped ones: a name from its two parts, the
country, province and city from its 地区 or address, the birth date and gender from a
resident ID number, the birthday beside the birth date, and the columns kept as
attributes (:class:`CustomerColumnsPass`)."""

from __future__ import annotations

from kequn.ingest.birthday import birthday_sql
from kequn.ingest.mapping import normalise_header
from kequn.ingest.parse_cells import CellsPass
from kequn.ingest.region import PARTS, place_of
from kequn.ingest.resident_id import HEADERS as ID_HEADERS
from kequn.ingest.resident_id import birth_date_sql, fill_birth_sql, gender_sql


class CustomerColumnsPass(CellsPass):
    """The columns a customers file gives beside its mapped ones (see the module's
    docstring)."""

    def _birthday(self, mapped: list[str]) -> None:
        """The birthday (MM-DD) beside the birth date: none for a year or a year and month
        read as its 1st, and a month and day alone's (:mod:`kequn.ingest.birthday`)."""
        self.sql("ALTER TABLE parsed ADD COLUMN birthday VARCHAR")
        self.sql("ALTER TABLE parsed ADD COLUMN raw__birthday VARCHAR")
        self.sql("ALTER TABLE parsed ADD COLUMN bad__birthday BOOLEAN DEFAULT false")
        self.sql("ALTER TABLE parsed ADD COLUMN why__birthday VARCHAR DEFAULT ''")
        self.sql(f"UPDATE parsed SET birthday = {birthday_sql('raw__birth_date', 'birth_date')}")
        mapped.append("birthday")
        if "kq_id_born" in self.con.table("parsed").columns:
            self.sql(fill_birth_sql("kq_id_born", "trim(raw__birth_date)"))
            self.sql("ALTER TABLE parsed DROP COLUMN kq_id_born")

    def _customer_columns(self, select: list[str], mapped: list[str]) -> None:
        """A customer's name from its two columns (First Name + Last Name, 姓 + 名), and
        the columns kept as attributes."""
        if self.matched.name_parts is not None:
            one, two, separator = self.matched.name_parts
            joined = f"NULLIF(concat_ws('{separator}', {self._clean(one)}, {self._clean(two)}), '')"
            select += [f'{joined} AS "name"', f'{joined} AS "raw__name"']
            select += ['false AS "bad__name"', "'' AS \"why__name\""]
            mapped.append("name")
        self._place_columns(select, mapped)
        self._resident_id_columns(select, mapped)
        attrs = self._attributes_sql()
        if attrs:
            select.append(f"{attrs} AS attributes")
            mapped.append("attributes")

    def _resident_id_columns(self, select: list[str], mapped: list[str]) -> None:
        """The birth date and gender a resident ID number column gives (身份证号, kept as
        an attribute: :mod:`kequn.ingest.resident_id`), where the file has no column of
        its own for them: the age groups and gender rules had nothing to go on. Where it
        has one, the number fills its cells that give none (:meth:`_gender_from_id`;
        the birth cells: :func:`kequn.ingest.resident_id.fill_birth_sql`)."""
        found = [
            i for i in self.matched.extra if normalise_header(self.staged.headers[i]) in ID_HEADERS
        ]
        if not found:
            return
        cell = self._clean(found[0])
        if "birth_date" in self.matched.columns:  # what the file's own birth cells lack
            select.append(f'{birth_date_sql(cell)} AS "kq_id_born"')
        if "gender" in self.matched.columns:
            select.append(f'{gender_sql(cell)} AS "kq_id_gender"')
        for name, value in (("birth_date", birth_date_sql), ("gender", gender_sql)):
            if name in self.matched.columns or name in mapped:
                continue
            # the number is not shown as the raw value: a message of this column names
            # no personal number
            select += [f'{value(cell)} AS "{name}"', f'NULL AS "raw__{name}"']
            select += [f'false AS "bad__{name}"', f"'' AS \"why__{name}\""]
            mapped.append(name)
            self.report.mapping[name] = self.staged.headers[found[0]]  # told as read

    def _filled_customer_columns(self, mapped: list[str]) -> None:
        """After the parse: the birthday beside a birth date, and the birth and gender
        cells the ID number fills."""
        if "birth_date" in mapped:
            self._birthday(mapped)
        self._gender_from_id()

    def _gender_from_id(self) -> None:
        """A gender cell that gives none (empty, 保密, a word of no gender list), filled
        with the ID number's gender, row by row, as the number fills a birth cell that
        gives no date: a member list whose 性别 was left blank on some rows had no gender
        for them though their 身份证号 gave it. A cell's warning stays (it was read as
        nothing); a cell giving a gender wins, whether the number agrees or not (a
        number typed on the wrong row, or a gender the customer gave: the file's word)."""
        if "kq_id_gender" not in self.con.table("parsed").columns:
            return
        self.sql("UPDATE parsed SET gender = kq_id_gender WHERE gender IS NULL")
        self.sql("ALTER TABLE parsed DROP COLUMN kq_id_gender")

    def _place_columns(self, select: list[str], mapped: list[str]) -> None:
        """The country, province and city a file has no column of, read from its 地区
        column (浙江省 杭州市, 中国 上海, 美国 纽约), else from the start of the address
        (:mod:`kequn.ingest.region`)."""
        columns = self.matched.columns
        lists = [
            self._places(columns[name], name == "address")
            for name in ("region", "address")
            if name in columns
        ]
        if not lists:
            return
        raw = f"CAST(c{columns['region' if 'region' in columns else 'address']} AS VARCHAR)"
        for part in PARTS:
            if part in columns:
                continue
            found = [place_of(one, part) for one in lists]
            value = found[0] if len(found) == 1 else f"coalesce({', '.join(found)})"
            select += [f'{value} AS "{part}"', f'{raw} AS "raw__{part}"']
            select += [f'false AS "bad__{part}"', f"'' AS \"why__{part}\""]
            mapped.append(part)

    def _attributes_sql(self) -> str | None:
        parts = []
        if "attributes" in self.matched.columns:
            source = f"c{self.matched.columns['attributes']}"
            if self.types[source].upper().startswith("MAP"):
                parts.append(f"CAST({source} AS MAP(VARCHAR, VARCHAR))")
        if self.matched.extra:
            values = ", ".join(self._clean(i) for i in self.matched.extra)
            parts.append(
                "map_from_entries(list_filter(list_zip($extra_names::VARCHAR[], "
                f"[{values}]), lambda x: x[2] IS NOT NULL))"
            )
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else f"map_concat({parts[0]}, {parts[1]})"
