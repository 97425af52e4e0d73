"""The ``--tree NAME=PATH`` option of the benchmarks that compare source trees taking
turns (``bench_import.py``, ``bench_long_cells.py``)."""

from __future__ import annotations

import argparse
from pathlib import Path

#: this checkout's src/
HERE = str(Path(__file__).resolve().parent.parent / "src")


def add_tree_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        help="NAME=PATH of a src/ folder to import with (NAME alone: this checkout's)",
    )


def trees(args: argparse.Namespace) -> list[list[str]]:
    """[name, src folder] for each ``--tree`` given, or this checkout's alone."""
    return [[*t.split("=", 1), HERE][:2] for t in args.tree] or [["this", HERE]]
