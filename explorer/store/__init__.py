"""The SQLite store: schema, opening, filters, queries and the bundled dataset."""
