"""numpy's advice to the kernel to back its large arrays with transparent hugepages, off.

numpy asks for hugepages (``madvise(MADV_HUGEPAGE)``) for every array of 4 MB or more on
Linux 4.6 and newer (https://numpy.org/devdocs/reference/global_state.html, "madvise
hugepage on Linux"), which the kernel honours where ``transparent_hugepage/enabled`` is
``madvise`` (a common default). kequn's large numpy arrays are the models' inputs and
scores at 1M customers (the churn model's 791k × 20 matrix, 126 MB), each made once per
run in memory just mapped. On the benchmark machine (a 2-core VM) a first touch of such
memory in 2 MB pages was at times far slower than in 4 kB ones: the matrix took
0.03-0.94 s with the advice and a steady 0.08-0.09 s without, the models step of a
daily run 1.0-2.5 s against 0.86-1.09 s (alternating runs), and 512 MB filled at
150 MB/s the first time in 2 MB pages against 1.7-2.3 GB/s in 4 kB pages. The kernel
counted no compaction stall (``compact_stall`` in /proc/vmstat stayed 0): the wait is
in providing the large pages themselves, which a VM's host may back lazily. (pyarrow's
allocator advises its own arena too: 43 large-page faults in a night at 1M, left as is.)

:func:`install` (run by ``import kequn``) turns the advice off, as numpy's own
``NUMPY_MADVISE_HUGEPAGE=0`` does, unless that variable is set: a user who measured
hugepages to help sets ``NUMPY_MADVISE_HUGEPAGE=1``. tests/core/test_hugepages.py checks
both, and numpy imported before kequn.
"""

from __future__ import annotations

import importlib
import os
import sys

VARIABLE = "NUMPY_MADVISE_HUGEPAGE"


def install() -> None:
    """Turn numpy's hugepage advice off, unless :data:`VARIABLE` says otherwise."""
    if os.environ.get(VARIABLE, "").strip():
        return  # the user's choice, which numpy reads itself
    if "numpy" not in sys.modules:
        # numpy reads it when first imported (and so does any process started from here)
        os.environ[VARIABLE] = "0"
        return
    # numpy already imported: its switch, private but kept since numpy 1.19 (numpy.core
    # before 2.0)
    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            switch = getattr(importlib.import_module(name), "_set_madvise_hugepage", None)
        except ImportError:
            continue
        if switch is not None:
            switch(False)
            return
