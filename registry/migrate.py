"""Alembic driven from code (no alembic.ini): upgrade a database to head, compare with models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import registry.models  # noqa: F401  (registers every table)
from registry.db import Base, make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration for our migrations on `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Upgrade the database at `url` to `revision`; returns the revision it is at afterwards."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(engine)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision of our migrations."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_diff(engine: Engine) -> list[Any]:
    """What autogenerate would change to make the database match the models (empty: equal)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": Base.metadata}
        )
        return list(compare_metadata(context, Base.metadata))
