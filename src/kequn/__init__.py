"""kequn (客群): customer segmentation with reasons and strategies, on DuckDB or Spark."""

from kequn.core import hugepages as _hugepages
from kequn.core import lazy_imports as _lazy_imports

__version__ = "0.1.0"

# Ibis's SQL compilers one dialect at a time, not all twenty when DuckDB opens (0.25 s)
_lazy_imports.install()
# numpy's large arrays in 4 kB pages: 2 MB ones were at times far slower to first touch
_hugepages.install()
