"""The authorisation matrix: every route of the app, API and pages, × every kind of caller,
against the table of expected allows kept in `matrix_spec.py`. "Denied" is 401/403; anything
else means the caller got through role AND scope checks. The routes come from the app itself,
so a new route without a row there fails this test; zero unexpected allows and zero unexpected
denials.

Callers present themselves as their clients do: the API with a bearer token, the pages with a
session signed in through the login form, whose CSRF token every page form carries. A denial
must be a real one: a refused CSRF token, or a signed-in caller's credential not accepted, would
look like a denial and hide a missing check, so either fails the run.

The world (`matrix_world.py`): provider A (广州) has one application in expert review with a
panel (expert `assigned` sits on it), one in publicity with a pending objection, and one
resource in the library; provider B (深圳) has one application with its city. The need search
runs on a keyword index of that library. Every route runs against a fresh copy of that world,
so one caller's write cannot change what the next one meets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.app import api_routes
from api.index_runtime import IndexRuntime, index_options
from api.library_browse import LibraryCache
from api.permissions import only
from registry.actor import Actor
from registry.db import Base, make_engine, session_factory
from registry.enums import Role
from registry.models import Resource
from registry.services import resources
from registry.storage import FileStore
from tests.api.conftest import BASE_URL, Shared, Tokens, _prepare
from tests.api.matrix_requests import REQUESTS, no_body
from tests.api.matrix_spec import CALLERS, EXPECTED
from tests.api.matrix_world import Ids, build_template, path_for
from tests.db.factories import PASSWORD, at

NOW = at(2025, 11, 14, 10)
PAGE = "page."
CSRF_REFUSED = ("csrf_failed", "CSRF 校验失败")  # the JSON code, the page's message


def restore(template: Path, target: Path) -> None:
    """Put the template's content into the app's database through SQLite's backup API (safe
    while the app holds connections to it)."""
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as dest:
        source.backup(dest)


@dataclass(frozen=True)
class Visitor:
    """How one caller presents itself: its bearer header for the API (none for anonymous), and
    the cookie of its page session with that session's CSRF token."""

    bearer: dict[str, str]
    cookie: str
    csrf: str


@dataclass(frozen=True)
class Matrix:
    """The template database, what its requests point at, every caller's bearer header, and
    the need search's index over the template's library."""

    template: Path
    target: Path
    ids: Ids
    headers: dict[str, dict[str, str]]
    index: IndexRuntime


def _keyword_index(shared: Shared, engine: Engine, directory: Path) -> IndexRuntime:
    """The live index of the template's library with the keyword encoder, opened; it does not
    poll, so restoring the database between routes cannot race it."""
    from indexing.service import create_live_index
    from matcher.testing import KeywordEncoder
    from tests.pages.library_world import KEYWORDS, TEST_CONFIG

    live = create_live_index(
        options=replace(index_options(shared.settings), index_dir=directory),
        sessions=session_factory(engine),
        encoder=KeywordEncoder(KEYWORDS),
        config=TEST_CONFIG,
    )
    runtime = IndexRuntime(live, poll_interval=3600.0)
    runtime.start()
    assert runtime.wait_ready(60.0), "the matrix index did not open"
    live.stop()
    return runtime


@pytest.fixture(scope="module")
def matrix(shared: Shared, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    """The matrix world, built once into a template database."""
    directory = tmp_path_factory.mktemp("matrix")
    template = directory / "matrix.db"
    engine = make_engine(f"sqlite:///{template}")
    Base.metadata.create_all(engine)
    ids = build_template(session_factory(engine), FileStore(shared.settings.var_dir / "files"))
    engine.dispose()
    target = Path(shared.settings.database_url.removeprefix("sqlite:///"))
    restore(template, target)
    shared.clock.now = NOW
    app_db = make_engine(shared.settings.database_url)
    tokens = Tokens(shared.settings, session_factory(app_db), shared.clock)
    headers = {name: tokens(user) for name, user in CALLERS.items() if user is not None}
    index = _keyword_index(shared, app_db, directory / "index")
    yield Matrix(template, target, ids, headers, index)
    index.close()
    app_db.dispose()


def sign_in(client: TestClient, shared: Shared, user: str | None) -> tuple[str, str]:
    """A page session as a browser gets one (the login form, for a user); its cookie and
    CSRF token."""
    client.cookies.clear()
    csrf = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    if user is not None:
        form = {"username": user, "password": PASSWORD, "next": "/", "csrf_token": csrf}
        signed = client.post("/login", data=form, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/", user
        assert client.get("/api/v1/auth/me").json()["username"] == user
        csrf = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    name = shared.settings.auth.session_cookie
    cookie = f"{name}={client.cookies[name]}"
    client.cookies.clear()
    return cookie, csrf


def visitors(client: TestClient, shared: Shared, m: Matrix) -> dict[str, Visitor]:
    """Every caller, signed in to the pages once (the sessions outlive the restores: they
    carry the user's id and password fingerprint, both the template's)."""
    out = {}
    for caller, user in CALLERS.items():
        cookie, csrf = sign_in(client, shared, user)
        out[caller] = Visitor(m.headers.get(caller, {}), cookie, csrf)
    return out


def request_of(name: str, visitor: Visitor, ids: Ids) -> tuple[dict[str, Any], dict[str, str]]:
    """The route's request (keyword arguments of `client.request`) and headers as this caller
    sends them: pages with the session and the token in the form, the API with the bearer
    token (anonymous: the session and the token in the header)."""
    spec = dict(REQUESTS.get(name, no_body)(ids))
    if not name.startswith(PAGE) and visitor.bearer:
        return spec, visitor.bearer
    if "data" in spec:
        spec["data"] = {**spec["data"], "csrf_token": visitor.csrf}
    if name.startswith(PAGE):
        return spec, {"Cookie": visitor.cookie}
    return spec, {"Cookie": visitor.cookie, "X-CSRF-Token": visitor.csrf}


def denied(response: Any, caller: str) -> bool:
    """Whether the caller was refused; a refusal that is no real denial fails the run."""
    where = (response.request.method, str(response.request.url), response.status_code)
    assert response.status_code < 500, (*where, response.text[:2000])
    if response.status_code == 403:
        assert not any(mark in response.text for mark in CSRF_REFUSED), ("CSRF refused", *where)
    if response.status_code == 401:
        assert caller == "anonymous", ("credential not accepted", caller, *where)
    return response.status_code in (401, 403)


@contextmanager
def running(shared: Shared, m: Matrix) -> Iterator[TestClient]:
    """The app started, serving the matrix index (handed back before shutdown closes it)."""
    with TestClient(shared.app, base_url=BASE_URL) as client:
        shared.app.state.index_runtime = m.index
        try:
            yield client
        finally:
            shared.app.state.index_runtime = None


def run_matrix(shared: Shared, m: Matrix, names: set[str] | None = None) -> list[str]:
    """Every route (or those named) × every caller on a fresh copy per route; the
    disagreements with EXPECTED."""
    routes = [r for r in api_routes(shared.app) if names is None or str(r.name) in names]
    unexpected: list[str] = []
    restore(m.template, m.target)
    shared.clock.now = NOW  # the sessions' expiry counts from here
    with running(shared, m) as client:
        callers = visitors(client, shared, m)
        for route in sorted(routes, key=lambda r: str(r.name)):
            name, method = str(route.name), sorted(route.methods or {"GET"})[0]
            url = path_for(str(route.path_format), m.ids)
            restore(m.template, m.target)
            shared.clock.now = NOW
            shared.app.state.library_cache = LibraryCache()
            for caller in sorted(CALLERS, key=lambda c: c in EXPECTED[name]):  # denials first
                spec, headers = request_of(name, callers[caller], m.ids)
                client.cookies.clear()
                response = client.request(
                    method, url, headers=headers, follow_redirects=False, **spec
                )
                if denied(response, caller) == (caller in EXPECTED[name]):
                    unexpected.append(f"{name} {caller}: {response.status_code}")
    return unexpected


def test_the_table_covers_every_route(shared: Shared) -> None:
    routes = api_routes(shared.app)
    names = {str(r.name) for r in routes}
    assert len(routes) > 50 and sum(n.startswith(PAGE) for n in names) > 50
    assert sorted(names - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "rows in EXPECTED for routes that are gone"
    writes = {str(r.name) for r in routes if r.methods and not r.methods <= {"GET", "HEAD"}}
    assert sorted(writes - set(REQUESTS)) == [], "write routes without a request in REQUESTS"
    assert set(CALLERS) >= {n for allowed in EXPECTED.values() for n in allowed}


def test_every_route_for_every_caller(shared: Shared, matrix: Matrix) -> None:
    _prepare(shared.app, shared.clock)
    assert run_matrix(shared, matrix) == []


def test_the_matrix_catches_a_loosened_permission(shared: Shared, matrix: Matrix) -> None:
    """The check itself can fail: admit organisers to the audit log (which only the table
    guards; certification, say, the registry would still refuse), shut the city out, and
    open a provider page to the city's reviewers."""
    _prepare(shared.app, shared.clock)
    table = shared.app.state.permissions
    saved = dict(table)
    table["province.audit"] = only(Role.PROVINCIAL_STAFF, Role.ADMIN, Role.ORGANISER)
    table["city.queue"] = only(Role.PROVINCIAL_STAFF)
    table["page.provider.resource_new"] = only(Role.PROVIDER, Role.MUNICIPAL_REVIEWER)
    try:
        found = run_matrix(
            shared,
            matrix,
            {"province.audit", "city.queue", "admin.users.list", "page.provider.resource_new"},
        )
    finally:
        table.clear()
        table.update(saved)
    assert {f.rsplit(":", 1)[0] for f in found} == {
        "city.queue reviewer_x",  # unexpected denials
        "city.queue reviewer_y",
        "city.queue staff",  # unexpected allows
        "province.audit organiser",
        "page.provider.resource_new reviewer_x",
        "page.provider.resource_new reviewer_y",
    }


def test_the_matrix_catches_a_page_without_its_scope_check(
    shared: Shared, matrix: Matrix, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The role gate admits provider B to the portal; only the registry keeps A's resource
    from it. Without that check the resource page is an unexpected allow."""
    _prepare(shared.app, shared.clock)

    def any_resource(*, session: Session, actor: Actor, resource_id: int) -> Resource:
        found = session.get(Resource, resource_id)
        assert found is not None
        return found

    monkeypatch.setattr(resources, "get_resource", any_resource)
    found = run_matrix(shared, matrix, {"page.provider.resource"})
    assert [f.rsplit(":", 1)[0] for f in found] == ["page.provider.resource provider_b"]


def test_a_refused_csrf_token_is_no_denial(shared: Shared, matrix: Matrix) -> None:
    """A page form with a stale token is refused 403: the run stops rather than count it."""
    _prepare(shared.app, shared.clock)
    restore(matrix.template, matrix.target)
    with running(shared, matrix) as client:
        visitor = visitors(client, shared, matrix)["provider_b"]
        stale = Visitor(visitor.bearer, visitor.cookie, "stale-token")
        spec, headers = request_of("page.provider.resource_create", stale, matrix.ids)
        client.cookies.clear()
        response = client.post("/provider/resources/new", headers=headers, **spec)
    assert response.status_code == 403
    with pytest.raises(AssertionError, match="CSRF refused"):
        denied(response, "provider_b")
