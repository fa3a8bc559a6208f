"""The authorisation matrix: every route of the app × every kind of caller, against the table
of expected allows kept in `matrix_spec.py`. "Denied" is 401/403; anything else means the
caller got through role AND scope checks. The routes come from the app itself, so a new route
without a row there fails this test; zero unexpected allows and zero unexpected denials.

The world: provider A (广州) has one application in expert review with a panel (expert
`assigned` sits on it), one in publicity with a pending objection, and one resource in the
library; provider B (深圳) has one application with its city. Every route runs against a fresh
copy of that world, so one caller's write cannot change what the next one meets.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import api_routes
from api.library_browse import LibraryCache
from api.permissions import only
from registry.db import Base, make_engine, session_factory
from registry.enums import Role
from registry.storage import FileStore
from tests.api.conftest import BASE_URL, Shared, Tokens, _prepare
from tests.api.matrix_spec import (
    CALLERS,
    EXPECTED,
    REQUESTS,
    Ids,
    build_template,
    no_body,
    path_for,
)
from tests.db.factories import at


def restore(template: Path, target: Path) -> None:
    """Put the template's content into the app's database through SQLite's backup API (safe
    while the app holds connections to it)."""
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as dest:
        source.backup(dest)


def call(
    client: TestClient, method: str, url: str, spec: dict[str, Any], headers: dict[str, str]
) -> int:
    response = client.request(method, url, headers=headers, follow_redirects=False, **spec)
    assert response.status_code < 500, (method, url, response.status_code, response.text)
    return response.status_code


@dataclass(frozen=True)
class Matrix:
    """The template database, what its requests point at, and every caller's credentials."""

    template: Path
    target: Path
    ids: Ids
    headers: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def matrix(shared: Shared, tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """The matrix world, built once into a template database."""
    template = tmp_path_factory.mktemp("matrix") / "matrix.db"
    engine = make_engine(f"sqlite:///{template}")
    Base.metadata.create_all(engine)
    ids = build_template(session_factory(engine), FileStore(shared.settings.var_dir / "files"))
    engine.dispose()
    target = Path(shared.settings.database_url.removeprefix("sqlite:///"))
    restore(template, target)
    shared.clock.now = at(2025, 11, 14, 10)
    minting = make_engine(shared.settings.database_url)
    tokens = Tokens(shared.settings, session_factory(minting), shared.clock)
    headers = {name: tokens(user) for name, user in CALLERS.items() if user is not None}
    minting.dispose()
    return Matrix(template, target, ids, headers)


def run_matrix(shared: Shared, m: Matrix, names: set[str] | None = None) -> list[str]:
    """Every route (or those named) × every caller on a fresh copy per route; the
    disagreements with EXPECTED."""
    routes = [r for r in api_routes(shared.app) if names is None or str(r.name) in names]
    unexpected: list[str] = []
    with TestClient(shared.app, base_url=BASE_URL) as client:
        for route in sorted(routes, key=lambda r: str(r.name)):
            name, method = str(route.name), sorted(route.methods or {"GET"})[0]
            url = path_for(str(route.path_format), m.ids)
            restore(m.template, m.target)
            shared.clock.now = at(2025, 11, 14, 10)
            shared.app.state.library_cache = LibraryCache()
            client.cookies.clear()
            csrf = client.get("/api/v1/auth/csrf").json()["csrf_token"]
            for caller in sorted(CALLERS, key=lambda c: c in EXPECTED[name]):  # denials first
                spec = dict(REQUESTS.get(name, no_body)(m.ids))
                head = m.headers.get(caller, {"X-CSRF-Token": csrf})
                if caller == "anonymous" and "data" in spec:
                    spec["data"] = {**spec["data"], "csrf_token": csrf}
                status = call(client, method, url, spec, head)
                if (status not in (401, 403)) != (caller in EXPECTED[name]):
                    unexpected.append(f"{name} {caller}: {status}")
    return unexpected


def test_the_table_covers_every_route(shared: Shared) -> None:
    routes = api_routes(shared.app)
    names = {str(r.name) for r in routes}
    assert len(routes) > 50
    assert sorted(names - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "rows in EXPECTED for routes that are gone"
    writes = {str(r.name) for r in routes if r.methods and not r.methods <= {"GET", "HEAD"}}
    assert sorted(writes - set(REQUESTS)) == [], "write routes without a request in REQUESTS"


def test_every_route_for_every_caller(shared: Shared, matrix: Matrix) -> None:
    _prepare(shared.app, shared.clock)
    assert run_matrix(shared, matrix) == []


def test_the_matrix_catches_a_loosened_permission(shared: Shared, matrix: Matrix) -> None:
    """The check itself can fail: admit organisers to the audit log (which only the table
    guards; certification, say, the registry would still refuse), shut the city out."""
    _prepare(shared.app, shared.clock)
    table = shared.app.state.permissions
    saved = dict(table)
    table["province.audit"] = only(Role.PROVINCIAL_STAFF, Role.ADMIN, Role.ORGANISER)
    table["city.queue"] = only(Role.PROVINCIAL_STAFF)
    try:
        found = run_matrix(shared, matrix, {"province.audit", "city.queue", "admin.users.list"})
    finally:
        table.clear()
        table.update(saved)
    assert {f.rsplit(":", 1)[0] for f in found} == {
        "city.queue reviewer_x",  # unexpected denials
        "city.queue reviewer_y",
        "city.queue staff",  # unexpected allows
        "province.audit organiser",
    }
