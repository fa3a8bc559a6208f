"""Database layer: the declarative base with naming conventions, the engine and sessions.

The same models and queries run on SQLite (the embedded default) and PostgreSQL (production,
psycopg 3). Datetimes are stored in UTC and always come back timezone-aware on both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names, so Alembic migrations can address them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive datetimes are refused.

    SQLite has no time zones, so values are stored as naive UTC there and made aware again
    when read; PostgreSQL stores `timestamptz`. Comparisons in SQL then agree on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware datetime (time is injected)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[StrEnum], length: int = 32) -> Enum:
    """A VARCHAR column holding the enum's values (no native ENUM type to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    """Declarative base of every registry table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it once at class creation)
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy would default to psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`: SQLite gets foreign keys, WAL and a busy timeout; PostgreSQL psycopg."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", 30)
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    in_memory = parsed.database in (None, "", ":memory:")
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would delay BEGIN past our first SELECT;
        # emit BEGIN ourselves so a transaction covers reads and writes alike.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
            # commits. It saves an fsync per commit, which dominates small transactions.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # A reader never upgrades to a writer, so a deferred BEGIN is safe and, under WAL,
            # reads its snapshot without queueing behind writers.
            connection.exec_driver_sql("BEGIN")
            return
        # IMMEDIATE takes the write lock at BEGIN: concurrent writers queue instead of failing
        # with SQLITE_BUSY_SNAPSHOT when they upgrade a stale read snapshot.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine`; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# Execution option of engines whose sessions only read (see `read_only_sessions`).
READ_ONLY = "funeng_read_only"


def read_only_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions like `sessions` for work that never writes (index pollers, readiness probes):
    on SQLite they begin deferred and so never wait for, nor hold up, the write lock."""
    bind = sessions.kw["bind"]
    return sessionmaker(bind=bind.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

