"""Reading a run (the dashboard's pages, a nightly check of them) imports no Ibis: it is
0.3-0.4 s of every fresh process that only reads a run's files."""

from __future__ import annotations

import subprocess
import sys


def test_reading_a_run_imports_no_ibis_nor_the_classifier() -> None:
    code = (
        "import sys\n"
        "from kequn.snapshots import lookup, read\n"
        "from kequn.taxonomy.explain import explain, why_not\n"
        "from kequn.taxonomy.reasons import render_template\n"
        "heavy = sorted(m for m in ('ibis', 'kequn.taxonomy.evaluate', 'kequn.core.rules._compile',"
        " 'kequn.features.reference') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""
