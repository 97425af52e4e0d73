"""The only modules that open DuckDB or Spark to classify. Each engine is given what it
needs (a connection, a folder of Parquet, limits) by :func:`kequn.pipeline.make_engine`;
none of them knows the workspace."""
