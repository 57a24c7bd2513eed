"""The portfolio warehouse: every customer's clean records and analytics as Parquet tables, queried with DuckDB.

``schema`` declares each table (pyarrow schema, meaning and source of every column); ``extract`` turns one
customer's lake documents into rows (pure); ``parts`` writes and rewrites partition files atomically (used by
erasure too, so it imports nothing of the lake); ``build`` writes the warehouse from a lake; ``engine`` runs
read-only SQL over it; ``ddl`` prints BigQuery / Snowflake DDL; ``views`` are the portfolio views (SQL files).
Layout: ``<lake>/warehouse/<table>/as_of_month=YYYY-MM/part-NN.parquet`` (see :mod:`pipeline.lake`).
"""
