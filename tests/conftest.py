"""Test tiers and the database backends shared by every test package.

Unit tests run by default. The heavy tiers (slow: real model, quality: golden set, e2e: browser)
run with `--all-tiers`, which `make test` passes. Database tests marked `postgres` run against
SQLite and, when it answers, the PostgreSQL server at 127.0.0.1:5432; with
FUNENG_TEST_REQUIRE_POSTGRES=1 (set by CI) an unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import socket

import pytest

HEAVY_TIERS = ("slow", "quality", "e2e")
POSTGRES_URL = os.environ.get(
    "FUNENG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    """True when something accepts connections on the PostgreSQL port."""
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all-tiers",
        action="store_true",
        help="also run the slow (real model), quality (golden set) and e2e (browser) tiers",
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    tiers = "all tiers" if config.getoption("--all-tiers") else "unit tier (use --all-tiers)"
    if postgres_reachable():
        db = f"PostgreSQL reachable: database tests run on SQLite and on {POSTGRES_URL}"
    else:
        db = "PostgreSQL NOT reachable at 127.0.0.1:5432: database tests run on SQLite only"
    return [f"funeng: {tiers}", f"funeng: {db}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("FUNENG_TEST_REQUIRE_POSTGRES") == "1" and not postgres_reachable():
        raise pytest.UsageError(
            "FUNENG_TEST_REQUIRE_POSTGRES=1 but PostgreSQL does not answer at 127.0.0.1:5432"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--all-tiers"):
        return
    skip = pytest.mark.skip(reason="heavy tier: run with --all-tiers (make test does)")
    for item in items:
        if any(item.get_closest_marker(tier) for tier in HEAVY_TIERS):
            item.add_marker(skip)
