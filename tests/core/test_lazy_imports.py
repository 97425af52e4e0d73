"""Ibis's SQL compilers loaded one dialect at a time (kequn.core.lazy_imports): opening
DuckDB leaves the other dialects unloaded, and every name the package lists still
resolves to the object the package itself defines."""

from __future__ import annotations

import json
import subprocess
import sys

from kequn.core import lazy_imports

PROBE = r"""
import json, sys
import kequn, ibis
con = ibis.duckdb.connect()
t = con.create_table("t", ibis.memtable({"a": [1, 2]}))
assert t.a.sum().to_pyarrow().as_py() == 3
loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules
                if m.startswith("ibis.backends.sql.compilers."))
import ibis.backends.sql.compilers as sc
import ibis.backends.sql.compilers.duckdb as duckdb_module
same = sc.DuckDBCompiler is duckdb_module.DuckDBCompiler
postgres = ibis.to_sql(ibis.table({"a": "int"}, name="t").mutate(b=1), dialect="postgres")
after_one = sorted(m.rsplit(".", 1)[1] for m in sys.modules
                   if m.startswith("ibis.backends.sql.compilers."))
names = list(sc.__all__)
resolved = {n: getattr(sc, n).__module__ for n in names}
print(json.dumps({"loaded": loaded, "same": same, "postgres": postgres,
                  "after_one": after_one, "resolved": resolved}))
"""


def test_duckdb_opens_without_the_other_dialects() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert "duckdb" in seen["loaded"]
    for other in ("trino", "athena", "bigquery", "snowflake", "postgres", "pyspark"):
        assert other not in seen["loaded"], seen["loaded"]
    assert seen["same"]
    assert '"t0"."a"' in seen["postgres"]
    assert "1 AS" in seen["postgres"]
    assert "postgres" in seen["after_one"]
    assert "trino" not in seen["after_one"]
    # the package's own list, once asked for, and each name from its dialect's module
    assert len(seen["resolved"]) >= 15
    for name, module in seen["resolved"].items():
        assert module == "ibis.backends.sql.compilers." + lazy_names()[name], (name, module)


RACE = r"""
import importlib.resources, json, threading
import kequn
import ibis.backends.sql.compilers as sc
listed = "TrinoCompiler" in dir(sc) and "duckdb" in dir(sc)
files = sorted(p.name for p in importlib.resources.files(sc.__name__).iterdir())
go, errors = threading.Event(), []
def everything():
    go.wait()
    sc.__all__  # not a listed name: runs the package's own __init__
def one():
    go.wait()
    try:
        sc.TrinoCompiler
    except AttributeError as error:
        errors.append(repr(error))
threads = [threading.Thread(target=everything), threading.Thread(target=one)]
for thread in threads:
    thread.start()
go.set()
for thread in threads:
    thread.join()
print(json.dumps({"listed": listed, "files": files, "errors": errors,
                  "trino": sc.TrinoCompiler.__module__, "all": len(sc.__all__)}))
"""


def test_threads_and_tools_see_the_whole_package() -> None:
    """A thread asking for a compiler while another runs the package's own ``__init__``
    gets it (the eager package makes it wait; the lazy one must not lose the name), and
    ``dir()`` and ``importlib.resources`` see what they would see without kequn."""
    out = subprocess.run(
        [sys.executable, "-c", RACE], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["errors"] == []
    assert seen["trino"] == "ibis.backends.sql.compilers.trino"
    assert seen["all"] >= 15
    assert seen["listed"]
    assert "__init__.py" in seen["files"]
    assert "duckdb.py" in seen["files"]


def lazy_names() -> dict[str, str]:
    import importlib.util

    spec = importlib.util.find_spec(lazy_imports.PACKAGE)
    assert spec is not None
    names = lazy_imports._listed(spec.loader)  # type: ignore[arg-type]
    assert names is not None
    return names


class _Source:
    def __init__(self, text: str) -> None:
        self.text = text

    def get_source(self, _name: str) -> str:
        return self.text


def test_an_unexpected_package_is_loaded_as_usual() -> None:
    """Source of another shape (a compiler imported some other way) turns the laziness
    off, so no name can go missing."""
    plain = "from ibis.backends.sql.compilers.duckdb import DuckDBCompiler\n"
    assert lazy_imports._listed(_Source(plain)) == {"DuckDBCompiler": "duckdb"}  # type: ignore[arg-type]
    odd = plain + "from ibis.backends.sql.compilers.trino import TrinoCompiler as X\n"
    assert lazy_imports._listed(_Source(odd)) is None  # type: ignore[arg-type]
    assert lazy_imports._listed(_Source("x = 1\n")) is None  # type: ignore[arg-type]
