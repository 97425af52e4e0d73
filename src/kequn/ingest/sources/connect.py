"""Where a database source is and how its rows are read, in streamed batches.

Connectors, and why these:

* **PostgreSQL: ADBC** (``adbc-driver-postgresql``, Apache Arrow's own driver on libpq).
  It reads a result with PostgreSQL's binary ``COPY`` straight into Arrow record batches,
  so a table of millions of rows arrives batch by batch at C speed and never as one list.
  It is released with Apache Arrow (the pyarrow kequn already uses) and ships libpq in its
  wheel, so nothing has to be installed on the machine.
* **MySQL / MariaDB: PyMySQL**, the pure-Python client of the PyMySQL project (the
  reference driver of SQLAlchemy and Django's MySQL docs). Its unbuffered ``SSCursor``
  streams a result from the server row by row; we take it ``fetchmany`` at a time. No C
  library, no server headers, works with MariaDB and MySQL alike.
* Not DuckDB's postgres/mysql scanner extensions: their pip packages are built for one
  DuckDB version each (1.5.5) and refuse to load in another (kequn runs DuckDB 1.5.6), and
  kequn must not download extensions at run time. Not connectorx: it returns a whole result
  at once, which a table larger than memory does not survive.

Security: the URL (which may carry a password) comes from the environment or from a file
only its owner can read (see :func:`resolve_url`); every message shows it masked
(:func:`mask`) and connector errors are scrubbed of it (:func:`scrub`). A user's query is
sent to *their* database as their own SQL; nothing read here is ever spliced into
kequn's DuckDB SQL. Table names are quoted as identifiers (``"a"."b"`` / ```a`.`b```).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

import pyarrow as pa

from kequn.core.i18n import t
from kequn.ingest.readers import SourceError
from kequn.ingest.sources.tls import mysql_tls
from kequn.ingest.sources.values import (
    arrow_text,
    cell_text,
    largest,
    money_text,
    mysql_param,
    utc_instant,
)

#: seconds to wait for a database to answer when connecting (a URL's own
#: ``connect_timeout`` wins): a server that accepts and then says nothing must not stop
#: an import, or a scheduled sync, for ever
CONNECT_SECONDS = 15

_SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}


@dataclass(frozen=True)
class Location:
    """A database's URL (secret: never print it, use :attr:`masked`)."""

    url: str

    def __repr__(self) -> str:  # never leak the password through a repr
        return f"Location({self.masked!r})"

    @property
    def kind(self) -> str:
        scheme = urlsplit(self.url).scheme.split("+")[0].lower()
        if scheme not in _SCHEMES:
            raise SourceError(t("sources.bad_scheme", url=self.masked))
        return _SCHEMES[scheme]

    @property
    def masked(self) -> str:
        return mask(self.url)

    def scrub(self, text: str) -> str:
        return scrub(text, self.url)


#: query parameters that carry a secret (libpq takes ``?password=`` and ``sslpassword``)
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:password|passwd|pwd|sslpassword|secret|token|access_token|api_key)=)[^&;#\s]*"
)
#: ``user:password@`` where :func:`urlsplit` sees no password (``u:pw@host``, no scheme)
_USERINFO = re.compile(r"(^|//|\s)([^\s:/@]*):([^\s/@]*)@")


def _secrets(url: str) -> list[str]:
    """The secrets in ``url`` as a message may show them: its password (as written,
    decoded and encoded, and each part around an ``@`` in it, which a connector splits
    the URL at) and the values of its secret query parameters."""
    found: list[str] = []
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        for whole in (password, unquote(password), quote(unquote(password), safe="")):
            found += [whole, *whole.split("@")]
    found += [m.group(0).split("=", 1)[1] for m in _SECRET_PARAM.finditer(url)]
    found += [m.group(3) for m in _USERINFO.finditer(url)]
    # the longest first, so a part never leaves the rest of its whole behind
    return sorted({x for x in found if x}, key=len, reverse=True)


def has_password(url: str) -> bool:
    """Whether ``url`` carries a password: in its user part or as a query parameter."""
    try:
        if urlsplit(url).password is not None:
            return True
    except ValueError:
        pass
    return bool(_SECRET_PARAM.search(url) or _USERINFO.search(url))


def mask(url: str) -> str:
    """The URL with its password (and secret query parameters) replaced by ``***``,
    nothing else changed; a URL that cannot be parsed is all ``***``."""
    try:
        parts = urlsplit(url)
        password, port = parts.password, parts.port
    except ValueError:
        return "***"
    if password is None:
        masked = _USERINFO.sub(r"\1\2:***@", url)
    else:
        user = parts.username or ""
        host = parts.hostname or ""
        if port:
            host = f"{host}:{port}"
        masked = urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    return _SECRET_PARAM.sub(r"\1***", masked)


def scrub(text: str, url: str) -> str:
    """``text`` (a connector's error) with the URL and its secrets masked."""
    out = text.replace(url, mask(url))
    for secret in _secrets(url):
        out = out.replace(secret, "***")
    return out


def resolve_url(
    url: str | None = None, url_env: str | None = None, url_file: str | Path | None = None
) -> Location:
    """The database URL from exactly one place: ``url`` (only without a password: a
    password on a command line or in kequn.toml is visible to others), an environment
    variable, or a file that only its owner can read or write (mode 0600 or stricter)."""
    given = [x for x in (url, url_env, url_file) if x]
    if len(given) != 1:
        raise SourceError(t("sources.need_one_url"))
    if url:
        location = Location(url.strip())
        if has_password(location.url):
            raise SourceError(t("sources.password_in_url", url=location.masked))
    elif url_env:
        value = os.environ.get(url_env, "").strip()
        if not value:
            raise SourceError(t("sources.env_missing", var=url_env))
        location = Location(value)
    else:
        location = Location(_read_secret_file(Path(str(url_file)).expanduser()))
    try:
        _ = urlsplit(location.url).port  # (parses the host and port too)
    except ValueError as exc:
        raise SourceError(t("sources.bad_url", url=location.masked, detail=str(exc))) from None
    _ = location.kind  # an unknown scheme is refused before any connection
    return location


def _read_secret_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        raise SourceError(t("sources.file_missing", path=path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(t("sources.file_missing", path=path))
    if info.st_mode & 0o077 or info.st_uid != os.getuid():
        raise SourceError(t("sources.file_unsafe", path=path, mode=oct(stat.S_IMODE(info.st_mode))))
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    if not lines:
        raise SourceError(t("sources.file_missing", path=path))
    return lines[0]


def quote_table(name: str, kind: str) -> str:
    """``schema.table`` quoted as identifiers for the database (each part on its own)."""
    q = '"' if kind == "postgresql" else "`"
    parts = [p.strip() for p in name.split(".")]
    if not name.strip() or any(not p for p in parts):
        raise SourceError(t("sources.bad_table", table=name))
    return ".".join(q + p.replace(q, q + q) + q for p in parts)


def select_sql(
    kind: str, table: str | None, query: str | None, watermark: str | None, since: bool
) -> str:
    """The statement sent to the database. The user's query is theirs, for their own
    database; kequn adds only a quoted identifier and a bound parameter around it."""
    if table:
        source = quote_table(table, kind)
    else:
        text = (query or "").strip().rstrip(";").strip()
        if not text:
            raise SourceError(t("sources.need_one_target"))
        source = f"({text}) AS kq_source"
    sql = f"SELECT * FROM {source}"
    if watermark and since:
        sql += f" WHERE {quote_table(watermark, kind)} >= "
        if kind == "mysql":  # PyMySQL binds by % formatting: a % in a name or query stays
            sql = sql.replace("%", "%%") + "%s"
        else:
            sql += "$1"
    return sql


# -- reading ---------------------------------------------------------------------------


@dataclass
class Batches:
    """A result being read: its column names and its batches of text columns."""

    names: list[str]
    batches: Iterator[tuple[list[pa.Array], list[Any]]]  # (text columns, typed watermark)
    integers: frozenset[int] = frozenset()  # the columns the database holds as integers


@contextlib.contextmanager
def read(
    location: Location,
    sql: str,
    params: list[Any],
    *,
    watermark: str | None,
    batch_rows: int,
) -> Iterator[Batches]:
    """Run ``sql`` and stream its result. Every error is one message with the URL masked."""
    kind = location.kind
    try:
        if kind == "postgresql":
            with _read_postgres(location, sql, params, watermark) as result:
                yield result
        else:
            with _read_mysql(location, sql, params, watermark, batch_rows) as result:
                yield result
    except SourceError:
        raise
    except ImportError as exc:
        package = "adbc-driver-postgresql" if kind == "postgresql" else "pymysql"
        raise SourceError(t("sources.missing_driver", package=package)) from exc
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in {"adbc_driver_manager", "pymysql", "pyarrow"}:
            detail = location.scrub(str(exc).strip().splitlines()[0] if str(exc) else "")
            raise SourceError(
                t("sources.read_failed", url=location.masked, detail=detail or type(exc).__name__)
            ) from None
        raise


def _watermark_index(names: list[str], watermark: str | None) -> int | None:
    if not watermark:
        return None
    column = watermark.split(".")[-1]
    for i, name in enumerate(names):
        if name == column:
            return i
    lowered = [n.lower() for n in names]
    if column.lower() in lowered:
        return lowered.index(column.lower())
    raise SourceError(t("sources.no_watermark", column=watermark))


@contextlib.contextmanager
def _read_postgres(
    location: Location, sql: str, params: list[Any], watermark: str | None
) -> Iterator[Batches]:
    import adbc_driver_postgresql.dbapi as pg

    url = location.url
    if "connect_timeout" not in parse_qs(urlsplit(url).query):
        url += ("&" if urlsplit(url).query else "?") + f"connect_timeout={CONNECT_SECONDS}"
    conn = pg.connect(url)
    try:
        cur = conn.cursor()
        try:
            # money reaches Arrow as a count of its smallest unit: how many digits that is
            # (lc_monetary's; 2 for yuan and most locales) is asked first
            digits = _money_digits(conn, cur)
            cur.execute(sql, params or None)
            reader = cur.fetch_record_batch()
            names = list(reader.schema.names)
            index = _watermark_index(names, watermark)
            money = {
                i
                for i, f in enumerate(reader.schema)
                if (f.metadata or {}).get(b"POSTGRESQL:type") == b"money"
            }

            def batches() -> Iterator[tuple[list[pa.Array], list[Any]]]:
                for batch in reader:
                    if batch.num_rows == 0:
                        continue
                    marks: list[Any] = []
                    if index is not None:
                        top = largest(batch.column(index))
                        marks = [] if top is None else [top]
                    yield (
                        [
                            money_text(col, digits) if i in money else arrow_text(col)
                            for i, col in enumerate(batch.columns)
                        ],
                        marks,
                    )

            integers = frozenset(
                i for i, f in enumerate(reader.schema) if pa.types.is_integer(f.type)
            )
            yield Batches(names, batches(), integers - money)
        finally:
            cur.close()
    finally:
        conn.close()


def _money_digits(conn: Any, cur: Any) -> int:
    """The digits of the server's money (2 where it has no money type: CockroachDB,
    Redshift and other PostgreSQL-speaking servers)."""
    try:
        cur.execute("SELECT scale(CAST(CAST(1 AS money) AS numeric)) AS digits")
        return int(cur.fetchone()[0])
    except Exception:
        conn.rollback()  # (a failed statement leaves the transaction unusable)
        return 2


@contextlib.contextmanager
def _read_mysql(
    location: Location, sql: str, params: list[Any], watermark: str | None, batch_rows: int
) -> Iterator[Batches]:
    import pymysql
    import pymysql.cursors
    from pymysql.constants import FIELD_TYPE

    parts = urlsplit(location.url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        seconds = max(1, int(options.get("connect_timeout", CONNECT_SECONDS)))
    except ValueError:
        seconds = CONNECT_SECONDS
    conn = pymysql.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 3306,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=unquote(parts.path.lstrip("/")) or None,
        unix_socket=options.get("unix_socket") or options.get("socket"),
        charset="utf8mb4",
        connect_timeout=seconds,
        read_timeout=seconds,  # the server's greeting and the login: for connecting only
        cursorclass=pymysql.cursors.SSCursor,
        **mysql_tls(options, location.masked),
    )
    # a long query may take its time: the limit was for connecting only (PyMySQL keeps it
    # on the connection and applies it to each read)
    conn._read_timeout = None
    if conn._sock is not None:
        conn._sock.settimeout(None)
    try:
        cur = conn.cursor()
        try:
            # a TIMESTAMP is an instant the server shows in the session's zone (its own,
            # often UTC): read it in UTC and say so; a DATETIME is a wall clock, as stored
            cur.execute("SET time_zone = '+00:00'")
            cur.execute(sql, [mysql_param(p) for p in params] or None)
            names = [d[0] for d in cur.description or ()]
            described = list(enumerate(cur.description or ()))
            instants = {i for i, d in described if d[1] == FIELD_TYPE.TIMESTAMP}
            bits = {i for i, d in described if d[1] == FIELD_TYPE.BIT}  # BIT(1): a boolean
            times = {
                i
                for i, d in described
                if d[1] in {FIELD_TYPE.DATE, FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP}
            }
            index = _watermark_index(names, watermark)

            def batches() -> Iterator[tuple[list[pa.Array], list[Any]]]:
                while True:
                    rows = cur.fetchmany(batch_rows)
                    if not rows:
                        return
                    columns = list(zip(*rows, strict=True))
                    for i in instants:
                        columns[i] = tuple(utc_instant(v) for v in columns[i])
                    for i in bits:
                        columns[i] = tuple(
                            None if v is None else int.from_bytes(v, "big") for v in columns[i]
                        )
                    marks: list[Any] = []
                    if index is not None:
                        # a zero date (0000-00-00), which PyMySQL gives as text, is no mark
                        present = [v for v in columns[index] if v is not None]
                        if index in times:
                            present = [v for v in present if isinstance(v, dt.date)]
                        marks = [max(present)] if present else []
                    yield (
                        [pa.array([cell_text(v) for v in col], pa.string()) for col in columns],
                        marks,
                    )

            whole = {
                FIELD_TYPE.TINY, FIELD_TYPE.SHORT, FIELD_TYPE.INT24, FIELD_TYPE.LONG,
                FIELD_TYPE.LONGLONG,
            }  # fmt: skip
            integers = frozenset(i for i, d in described if d[1] in whole)
            yield Batches(names, batches(), integers)
        except BaseException:
            _abandon(conn)
            raise
        cur.close()  # every row was read: nothing left to drain
    finally:
        with contextlib.suppress(Exception):  # (already closed, or the connection is gone)
            conn.close()


def _abandon(conn: Any) -> None:
    """Leave a streamed MySQL result unread: PyMySQL reads the rest of it when the cursor
    is closed or collected, which reads a whole table after an error or, the connection
    lost, raises from a destructor."""
    result = getattr(conn, "_result", None)
    if result is not None and getattr(result, "unbuffered_active", False):
        result.unbuffered_active = False
    with contextlib.suppress(Exception):
        conn.close()
