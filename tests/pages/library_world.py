"""The small fixture library (`fixtures/library.yaml`) loaded through the real workflow, and an
app over it whose live index uses the keyword encoder: for the match API and page tests.

The fixture holds four certified resources on distinct topics (FX-001 machine vision in
Dongguan, priority; FX-002 MES in Foshan; FX-003 cross-border e-commerce in Guangzhou; FX-004
energy management in Shenzhen) and four applications stopped at the steps the consoles show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import registry.models  # noqa: F401  (registers every table)
from api.app import create_app
from api.deps import get_password_hasher
from api.index_runtime import index_options, set_index_factory
from api.settings import Settings
from indexing.live import LiveIndex
from indexing.service import create_live_index
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.testing import KeywordEncoder
from registry.db import Base, make_engine, session_factory
from registry.loader import LoadReport, load, read_files
from registry.storage import FileStore
from tests.db.factories import FAST_HASHER

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BATCHES = Path(__file__).resolve().parents[2] / "data" / "demo" / "batches.yaml"
PASSWORD = "fixture-pass-2026"
SECRET = "pages-test-secret-0123456789abcdefghijklmnopqrstuvwxyz"
CERTIFIED = ("FX-001", "FX-002", "FX-003", "FX-004")

# The keyword encoder's cosine is the share of keywords in common; like the indexing tests,
# any shared keyword counts as dense evidence (the defaults are calibrated on the real model).
KEYWORDS = (
    "机器视觉", "缺陷检测", "外观", "注塑", "mes", "制造执行", "排程", "追溯", "跨境电商",
    "独立站", "海外", "能耗", "碳排放", "节能", "锂电池", "极片", "光伏", "储能", "压铸",
    "预测性维护", "社交媒体",
)  # fmt: skip
TEST_CONFIG = MatchConfig(confidence=ConfidenceConfig(dense_floor=0.0, dense_ceiling=0.5))


def load_library(settings: Settings) -> LoadReport:
    """A fresh schema with the fixture library loaded through the workflow."""
    engine = make_engine(settings.database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    files = read_files(
        batches_path=BATCHES,
        users_path=FIXTURES / "users.yaml",
        library_paths=[FIXTURES / "library.yaml"],
    )
    report = load(
        sessions=session_factory(engine),
        store=FileStore(settings.var_dir / "files"),
        files=files,
        hasher=FAST_HASHER,
    )
    engine.dispose()
    assert not report.refused, report.refused
    return report


def keyword_index(settings: Settings, sessions: sessionmaker[Session]) -> LiveIndex:
    """The app's live index with the keyword encoder and the test confidence."""
    return create_live_index(
        options=index_options(settings),
        sessions=sessions,
        encoder=KeywordEncoder(KEYWORDS),
        config=TEST_CONFIG,
    )


def page_settings(directory: Path) -> Settings:
    """Settings of a test deployment under `directory` that serves the live index."""
    return Settings(
        environment="test",
        database_url=f"sqlite:///{directory / 'pages.db'}",
        var_dir=directory / "var",
        secret_key=SECRET,
        index={"dir": directory / "index", "serve": True, "poll_interval_seconds": 0.2},
        auth={"cookie_secure": False},
    )


@dataclass
class LibraryApp:
    """An app over the loaded fixture library, its client and its database sessions."""

    settings: Settings
    app: FastAPI
    client: TestClient
    sessions: sessionmaker[Session]


@contextmanager
def library_app(directory: Path) -> Iterator[LibraryApp]:
    """The fixture library behind a running app whose index is loaded (waits for it)."""
    settings = page_settings(directory)
    load_library(settings)
    app = create_app(settings)
    set_index_factory(app, keyword_index)
    app.dependency_overrides[get_password_hasher] = lambda: FAST_HASHER
    engine = make_engine(settings.database_url)
    with TestClient(app, base_url="http://testserver") as client:
        assert app.state.index_runtime.wait_ready(30.0), "the index did not open"
        yield LibraryApp(settings, app, client, session_factory(engine))
    engine.dispose()
