"""Fixtures of the page tests: the fixture library behind a running app (one per module, or a
fresh one for tests that change it), signing in through the login form, and CSRF tokens read
from the rendered forms."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.deps import current_time
from tests.pages.library_world import PASSWORD, LibraryApp, library_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Inside batch 2026Q4, after the fixture's submissions (2026-10-26..11-16).
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryApp]:
    """The fixture library behind a running app, shared by the tests of a module."""
    with library_app(tmp_path_factory.mktemp("pages")) as running:
        running.app.dependency_overrides[current_time] = lambda: NOW
        yield running


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[LibraryApp]:
    """A world of its own, for a test that changes the registry."""
    with library_app(tmp_path) as running:
        running.app.dependency_overrides[current_time] = lambda: NOW
        yield running


@pytest.fixture
def client(world: LibraryApp) -> TestClient:
    """A visitor of the shared world with cookies of their own (the app is already running:
    not entered, so its lifespan does not run twice)."""
    return TestClient(world.app, base_url="http://testserver", raise_server_exceptions=False)


class Rendered(Protocol):
    """A response with a text body (httpx's, whichever copy the test client uses)."""

    @property
    def text(self) -> str: ...


def csrf_of(response: Rendered) -> str:
    """The CSRF token in a rendered page's forms."""
    found = CSRF.search(response.text)
    assert found, "no form with a CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, *, next: str = "/workspace") -> Any:
    """Sign in through the login form; the answer after the redirects."""
    token = csrf_of(client.get("/login"))
    return client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": next, "csrf_token": token},
    )


def post_form(
    client: TestClient, page: str, action: str, data: Mapping[str, object], **kwargs: Any
) -> Any:
    """Post a form of `page` to `action` with the page's CSRF token (no redirects followed)."""
    token = csrf_of(client.get(page))
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)
