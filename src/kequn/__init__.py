"""kequn (客群): customer segmentation with reasons and strategies, on DuckDB or Spark."""

__version__ = "0.1.0"
