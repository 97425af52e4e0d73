"""Ibis's SQL compilers loaded one dialect at a time.

``ibis.backends.sql.compilers`` imports the compiler of every dialect Ibis supports (about
twenty, each pulling in its sqlglot dialect) as soon as any backend is opened: 0.25 s of
every kequn process that opens DuckDB, an eighth of a small shop's run, for dialects kequn
never uses. :func:`install` puts a finder on ``sys.meta_path`` that loads that package
without running its ``__init__``, and answers each name when it is first asked for:

- ``DuckDBCompiler`` (any ``<Dialect>Compiler`` the package names): from its own module,
  ``ibis.backends.sql.compilers.duckdb``, the one that package's ``__init__`` imports it
  from;
- ``duckdb`` (a dialect's module, as ``ibis.to_sql(expr, dialect=...)`` asks): that module;
- anything else: the package's own ``__init__`` is run after all, and the name read from it.

So every name resolves to the same object as with the eager package; only the time of
loading moves. ``dir()`` lists the compilers before they load, the loader answers
``importlib.resources`` as the real one does, and while one thread runs the package's own
``__init__`` the others still get every compiler (as the import lock lets them with the
eager package). The finder steps aside (and the package loads as usual) when the installed
Ibis is not a major version it was checked against, or its ``__init__`` imports anything
other than one compiler per line from its dialect's module (read from its source).
tests/core/test_lazy_imports.py checks that opening DuckDB leaves the other dialects
unloaded and that every listed name still resolves.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

PACKAGE = "ibis.backends.sql.compilers"
#: the Ibis major versions whose compilers package was read for this
CHECKED = ("12",)
_SUFFIX = "Compiler"


class _Finder(importlib.abc.MetaPathFinder):
    looking = False

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != PACKAGE or self.looking:
            return None
        # the package's real spec, from the finders after this one
        self.looking = True
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self.looking = False
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        if not _ibis_checked():
            return spec
        spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, real: importlib.machinery.SourceFileLoader) -> None:
        self.real = real

    def create_module(self, spec: Any) -> None:
        return None

    def get_source(self, fullname: str) -> str | None:
        return self.real.get_source(fullname)

    def __getattr__(self, name: str) -> Any:
        # what importlib and its tools ask a loader besides (is_package, get_filename,
        # get_code, get_resource_reader): the real loader's answers
        return getattr(self.real, name)

    def exec_module(self, module: ModuleType) -> None:
        names = _listed(self.real)
        if names is None:
            self.real.exec_module(module)
            return
        lock = threading.RLock()
        done: list[bool] = []

        def load_all() -> None:
            # the real __init__, once; meanwhile other threads still get listed names from
            # __getattr__, and wait here for the others (as the import lock makes them wait
            # for an eager package). Only a complete load takes __getattr__ away, so one
            # that fails part way is tried again on the next unlisted name
            with lock:
                if not done:
                    self.real.exec_module(module)
                    done.append(True)
                    module.__dict__.pop("__getattr__", None)
                    module.__dict__.pop("__dir__", None)

        def __getattr__(name: str) -> Any:  # noqa: N807 - a module's own __getattr__
            if name in names:
                value = getattr(_submodule(module, names[name]), name)
            elif name in names.values():
                value = _submodule(module, name)
            else:
                if name not in module.__dict__:
                    load_all()
                return module.__dict__[name] if name in module.__dict__ else _missing(name)
            module.__dict__[name] = value
            return value

        def __dir__() -> list[str]:  # noqa: N807 - a module's own __dir__
            return sorted({*module.__dict__, *names, *names.values()})

        module.__dict__["__getattr__"] = __getattr__
        module.__dict__["__dir__"] = __dir__


def _submodule(module: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{module.__name__}.{name}")


def _missing(name: str) -> Any:
    raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")


def _listed(loader: importlib.machinery.SourceFileLoader) -> dict[str, str] | None:
    """Each compiler the package's ``__init__`` imports, and its module's name, read from
    its source (``from ibis.backends.sql.compilers.<module> import <Name>Compiler``), or
    None when the source is not of that shape."""
    try:
        source = loader.get_source(PACKAGE) or ""
    except (ImportError, OSError):
        return None
    names: dict[str, str] = {}
    prefix = f"from {PACKAGE}."
    for line in source.splitlines():
        if not line.startswith(prefix):
            continue
        parts = line[len(prefix) :].split()
        if len(parts) != 3 or parts[1] != "import" or not parts[2].endswith(_SUFFIX):
            return None
        names[parts[2]] = parts[0]
    return names or None


def _ibis_checked() -> bool:
    try:
        version = importlib.metadata.version("ibis-framework")
    except importlib.metadata.PackageNotFoundError:
        return False
    return version.split(".")[0] in CHECKED


_FINDER = _Finder()


def install() -> None:
    """Load Ibis's compilers one dialect at a time from now on (see the module). Does
    nothing once the package is loaded, or when already installed."""
    if PACKAGE in sys.modules or _FINDER in sys.meta_path:
        return
    sys.meta_path.insert(0, _FINDER)
