"""Liveness and readiness facts: is the database reachable, is the search index loaded.

The index is plugged in by the indexing engine with `set_index_probe(app, probe)`; until then
its check reports "not_configured" and does not hold readiness back (the library browse runs
on the database alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import FastAPI
from sqlalchemy import Engine

CheckStatus = Literal["ok", "not_configured", "loading", "error"]


@dataclass(frozen=True, slots=True)
class Check:
    """The state of one dependency of the service."""

    status: CheckStatus
    detail: str = ""

    @property
    def blocking(self) -> bool:
        """True when this check keeps the service from being ready."""
        return self.status in ("loading", "error")


IndexProbe = Callable[[], Check]


def set_index_probe(app: FastAPI, probe: IndexProbe) -> None:
    """Let `/ready` ask the search index whether it is loaded (called by the indexing engine)."""
    app.state.index_probe = probe


def database_check(engine: Engine) -> Check:
    """Can the database answer a trivial query right now?

    A raw driver connection: on SQLite a SQLAlchemy transaction begins IMMEDIATE (the write
    lock), which would make the probe wait behind — or deadlock with — the request's own
    session; a plain SELECT in autocommit takes no lock.
    """
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
    except Exception as exc:  # any driver error means "not reachable" to a load balancer
        return Check("error", type(exc).__name__)
    return Check("ok")


def index_check(probe: IndexProbe | None) -> Check:
    """What the index probe says, or "not_configured" before one is plugged in."""
    if probe is None:
        return Check("not_configured", "检索索引尚未接入（由索引模块接入后生效）")
    try:
        return probe()
    except Exception as exc:  # a broken probe is an unready index, not a crashed endpoint
        return Check("error", type(exc).__name__)
