"""Persistence: tables, the database handle, migrations."""
