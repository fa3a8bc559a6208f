"""Alembic migrations of the registry, driven programmatically by `registry.migrate`."""
