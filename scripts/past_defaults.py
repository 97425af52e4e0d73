"""Write src/kequn/taxonomy/past_defaults.txt: the SHA-256 of every earlier version of the
default taxonomy in this repository's history, so that a workspace still holding an
unedited copy of one is told a newer default exists (``kequn taxonomy upgrade``).

Run after committing a change to src/kequn/taxonomy/default.yaml:

    python scripts/past_defaults.py

tests/taxonomy/test_taxonomy_upgrade.py fails while a version in the history is missing.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "src/kequn/taxonomy/default.yaml"
TARGET = ROOT / "src" / "kequn" / "taxonomy" / "past_defaults.txt"


def history_hashes(root: Path = ROOT) -> set[str]:
    """The SHA-256 of each committed version of the default taxonomy's text."""
    commits = subprocess.run(  # noqa: S603 - git, with our own arguments
        ["git", "-C", str(root), "log", "--format=%H", "--", DEFAULT],  # noqa: S607
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    found: set[str] = set()
    for commit in commits:
        shown = subprocess.run(  # noqa: S603
            ["git", "-C", str(root), "show", f"{commit}:{DEFAULT}"],  # noqa: S607
            capture_output=True,
            check=False,
        )
        if shown.returncode == 0:  # (the commit that removed a file has none)
            found.add(hashlib.sha256(shown.stdout).hexdigest())
    return found


def main() -> int:
    current = hashlib.sha256((ROOT / DEFAULT).read_bytes()).hexdigest()
    kept = {line.split()[0] for line in _lines(TARGET)}
    hashes = sorted((kept | history_hashes()) - {current})
    header = "# SHA-256 of earlier versions of default.yaml (scripts/past_defaults.py)\n"
    TARGET.write_text(header + "".join(f"{h}\n" for h in hashes), encoding="utf-8")
    print(f"{len(hashes)} earlier versions in {TARGET.relative_to(ROOT)}")
    return 0


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


if __name__ == "__main__":
    sys.exit(main())
