"""A workspace's copy of the default taxonomy, against the default kequn ships now.

``kequn init`` copies the default taxonomy into the workspace, where it is the user's to
edit. A later kequn may ship a better default (a rule fixed, a label added), which a
workspace made before never sees. A copy nobody edited is recognised by its text: the
SHA-256 of every earlier default is listed in ``past_defaults.txt`` (kept by
``scripts/past_defaults.py`` from the repository's history; a test fails while one is
missing). Such a workspace's runs say so (:func:`outdated_note`), and ``kequn taxonomy
upgrade`` replaces the copy (:func:`replaceable`), keeping the old one beside it. An
edited copy is the user's: it is replaced only when asked to (``--force``), and kept
beside it all the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kequn.taxonomy.changes import changed_dimensions
from kequn.taxonomy.model import TaxonomyError, default_text, parse_taxonomy


def _past_defaults() -> frozenset[str]:
    text = resources.files("kequn.taxonomy").joinpath("past_defaults.txt").read_text("utf-8")
    return frozenset(
        line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Standing:
    """How a workspace's taxonomy file stands against the shipped default."""

    #: "current" (the default as shipped now), "outdated" (an unedited earlier default),
    #: "edited" (anything else) or "missing" (no file: runs use the default)
    state: str
    #: the dimensions whose rules the default would change (outdated or edited)
    changed: tuple[str, ...] = ()


def standing(path: Path, *, detail: bool = True) -> Standing:
    """Where the taxonomy file at ``path`` stands (:class:`Standing`); without
    ``detail``, the changed dimensions only of an outdated file (an edited one is not
    parsed: a run with an edited taxonomy pays nothing)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Standing("missing")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Standing("edited")
    current = default_text()
    if text == current:
        return Standing("current")
    state = "outdated" if _sha(text) in _past_defaults() else "edited"
    if state == "edited" and not detail:
        return Standing(state)
    try:
        before = parse_taxonomy(text, str(path))
        changed = changed_dimensions(before, parse_taxonomy(current, "default.yaml"))
    except TaxonomyError:
        changed = set()
    return Standing(state, tuple(sorted(changed)))


def outdated_note(path: Path) -> dict[str, Any] | None:
    """A run's note when the workspace's taxonomy at ``path`` is an unedited earlier
    default (None otherwise): which dimensions the current default labels differently."""
    found = standing(path, detail=False)
    if found.state != "outdated":
        return None
    if not found.changed:  # names, reasons or strategies only: no list to give
        return {"key": "taxonomy.outdated_wording", "params": {}}
    return {"key": "taxonomy.outdated", "params": {"dimensions": ", ".join(found.changed)}}


def replaceable(found: Standing, *, force: bool = False) -> bool:
    """Whether ``kequn taxonomy upgrade`` replaces a file that stands as ``found``: an
    unedited earlier default, or with ``force`` an edited one (without a file, runs use
    the shipped default already)."""
    return found.state == "outdated" or (found.state == "edited" and force)


def backup_name(path: Path) -> Path:
    """Where the file replaced is kept: ``taxonomy.yaml.<date-time>.bak`` beside it."""
    return path.with_name(f"{path.name}.{dt.datetime.now():%Y%m%d-%H%M%S}.bak")
