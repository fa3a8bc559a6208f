"""`funeng index status` and `funeng match` on fast paths (no model is loaded); the real-model
end-to-end run of `index build` and `match` is in test_real_model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from indexing.build import IndexParts, build_matcher
from indexing.cursor import CursorState
from indexing.snapshot import SnapshotStore
from registry.db import make_engine, session_factory
from registry.enums import LibraryEventKind
from registry.library import record_event
from tests.indexing.conftest import FACTORS
from tests.indexing.views import small_library


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    model = tmp_path / "model"
    model.mkdir()
    # A model folder whose manifest declares the dimension: the encoder needs no loading.
    (model / "funeng_model.json").write_text('{"name": "fake", "dimension": 12}')
    monkeypatch.setenv("FUNENG_DATABASE_URL", f"sqlite:///{tmp_path / 'funeng.db'}")
    monkeypatch.setenv("FUNENG_INDEX__DIR", str(tmp_path / "index"))
    monkeypatch.setenv("FUNENG_MODEL__PATH", str(model))
    assert invoke("registry", "migrate")[0] == 0
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_status_without_a_snapshot(cli_env: Path) -> None:
    code, output = invoke("index", "status")
    assert code == 1 and "funeng index build" in output


def test_status_reports_the_snapshot_and_pending_events(cli_env: Path, parts: IndexParts) -> None:
    matcher = build_matcher(small_library(), parts=parts)
    now = datetime(2025, 12, 1, tzinfo=UTC)
    name = SnapshotStore(cli_env / "index").write(
        matcher, cursor=CursorState(0), factors=FACTORS, now=now
    )
    code, output = invoke("index", "status")
    assert code == 0, output
    assert name in output and "资源：4    案例：4    文档：8" in output
    assert "待应用的变更：0（已是最新）" in output
    assert "向量存储：float32" in output  # the parts of this test keep float32
    sessions = session_factory(make_engine(f"sqlite:///{cli_env / 'funeng.db'}"))
    with sessions() as s:
        record_event(s, resource_code="AI-001", kind=LibraryEventKind.UPDATED, now=now)
        s.commit()
    code, output = invoke("index", "status", "--json")
    summary = json.loads(output)
    assert summary["pending_events"] == 1 and summary["name"] == name
    assert summary["counts"] == {"resources": 4, "documents": 8, "cases": 4}


def test_match_refuses_an_unknown_filter_value(cli_env: Path) -> None:
    code, output = invoke("match", "机器视觉", "--direction", "人工智能")
    assert code == 1
    assert "invalid_filter" in output and "人工智能应用" in output


def test_match_needs_a_migrated_database(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNENG_DATABASE_URL", f"sqlite:///{cli_env / 'empty.db'}")
    code, output = invoke("match", "机器视觉")
    assert code == 2 and "funeng registry migrate" in output
