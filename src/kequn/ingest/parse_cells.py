"""The cells the parse reads, cleaned once: a file's columns cleaned (``kq_text``) and
its place columns split into country, province and city, as columns of a subquery of
``raw`` (:class:`CellsPass`)."""

from __future__ import annotations

from kequn.ingest.non_data import NonDataPass
from kequn.ingest.region import places


class CellsPass(NonDataPass):
    """The parse reads a cell cleaned (``kq_text``) as a column of a subquery, ``kq_t<i>``
    (:meth:`_clean`), and a place column's country, province and city from one list,
    ``kq_place<i>`` (:meth:`_places`). A macro is copied wherever its argument is used,
    and DuckDB shares no copy inside a CASE, AND or OR, where every date, amount and
    place macro uses it: the cleaning was in the query once per use (an address's 10
    times: its own column, and three for each part of its place, each part splitting
    the cell again; a date's about 20). Now each cell is cleaned, and split, once."""

    #: the file's columns the parse reads cleaned (:meth:`_clean`)
    _cleaned: set[int]
    #: the place columns whose parts it reads, each with whether it is an address
    _placed: dict[int, bool]

    def _clean(self, index: int) -> str:
        """The file's column ``index`` cleaned (``kq_text``), as a column of
        :meth:`_cells`: cleaned once per cell however many fragments read it."""
        self._cleaned.add(index)
        return f"kq_t{index}"

    def _cell(self, index: int) -> str:
        """The cleaned cell of column ``index``, or where it is empty the first filled of
        the columns its empty cells are read from (MappingResult.fallback_cells)."""
        cells = [f"kq_text(c{i})" for i in [index, *self.matched.fallback_cells.get(index, [])]]
        return cells[0] if len(cells) == 1 else f"coalesce({', '.join(cells)})"

    def _raw(self, index: int) -> str:
        """The cell of column ``index`` as the file has it, or the one :meth:`_cell` read
        in its place: a value emptied or refused is reported as it was written."""
        first = f"CAST(c{index} AS VARCHAR)"
        later = self.matched.fallback_cells.get(index, [])
        if not later:
            return first
        cases = " ".join(
            f"WHEN NOT kq_blank(c{i}) THEN CAST(c{i} AS VARCHAR)" for i in [index, *later]
        )
        return f"CASE {cases} ELSE {first} END"

    def _places(self, index: int, address: bool) -> str:
        """The [country, province, city] of the place column ``index`` (a 地区, or an
        address: :func:`kequn.ingest.region.places`), as a column of :meth:`_cells`."""
        self._clean(index)
        self._placed[index] = address
        return f"kq_place{index}"

    def _cells(self) -> str:
        """``raw`` with the cleaned cells and place lists the parse asked for as columns
        of their own (see the class's docstring): a subquery for each step, since the
        places read the cleaned cells. A column no query reads DuckDB leaves out."""
        relation = "raw"
        if self._cleaned:
            clean = ", ".join(f"{self._cell(i)} AS kq_t{i}" for i in sorted(self._cleaned))
            relation = f"(SELECT *, {clean} FROM {relation})"
        if self._placed:
            found = ", ".join(
                f"{places(f'kq_t{i}', address=address)} AS kq_place{i}"
                for i, address in sorted(self._placed.items())
            )
            relation = f"(SELECT *, {found} FROM {relation})"
        return relation
