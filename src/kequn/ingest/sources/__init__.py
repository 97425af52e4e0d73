"""Named data sources: files and databases a workspace's records come from.

Every import may name its source (``--source tmall_flagship``); a source's ids are its own
(stored as ``NAME:ID``) and its records carry ``origin = NAME``
(:func:`kequn.ingest.importer.import_staged`). Databases (PostgreSQL, MySQL/MariaDB) are
read in streamed batches by :mod:`.connect` and imported like files by :mod:`.database`;
saved sources in ``kequn.toml`` are pulled incrementally by :func:`sync`.
"""

from kequn.ingest.sources.connect import Location, mask, resolve_url
from kequn.ingest.sources.database import (
    DatabaseImport,
    SavedSource,
    SyncError,
    SyncResult,
    check_name,
    import_database,
    read_state,
    saved_sources,
    sync,
)

__all__ = [
    "DatabaseImport",
    "Location",
    "SavedSource",
    "SyncError",
    "SyncResult",
    "check_name",
    "import_database",
    "mask",
    "read_state",
    "resolve_url",
    "saved_sources",
    "sync",
]
