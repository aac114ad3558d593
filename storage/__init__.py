"""Persistence: SQLAlchemy models, engine and sessions, Alembic migrations.

Imports nothing of the project. Start with `storage.db` (engine, sessions) and
`storage.models` (the tables); `python -m storage --help` lists the commands.
"""
