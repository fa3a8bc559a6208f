"""`funeng sweep`, `funeng catalog export` and `funeng events …` end to end on a migrated
SQLite file, with injected dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from registry.db import make_engine, session_factory
from registry.migrate import upgrade
from registry.models.events import EventType
from registry.services import events
from registry.services.events import EventInput
from registry.storage import FileStore
from tests.db.factories import at
from tests.lifecycle.world import World, build_world


@pytest.fixture
def cli_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'var' / 'funeng.db'}"
    (tmp_path / "var").mkdir()
    monkeypatch.setenv("FUNENG_DATABASE_URL", url)
    monkeypatch.setenv("FUNENG_VAR_DIR", str(tmp_path / "var"))
    upgrade(url)
    engine = make_engine(url)
    world = build_world(session_factory(engine), FileStore(tmp_path / "files"))
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    yield world
    engine.dispose()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_sweep_is_idempotent_and_says_what_it_did(cli_world: World) -> None:
    code, output = run("sweep", "--today", "2026-03-31")
    assert code == 0 and "新标记 0 项" in output
    code, output = run("sweep", "--today", "2026-04-01", "--dry-run")
    assert code == 0 and "新标记 2 项" in output and "试运行" in output
    code, output = run("sweep", "--today", "2026-04-01")
    assert code == 0, output
    assert "新标记 2 项" in output and "年度报告未按期报送（第十八条）：2" in output
    assert "AI-001" in output and "AI-002" in output
    code, output = run("sweep", "--today", "2026-04-02")
    assert code == 0 and "新标记 0 项，情形消除 0 项" in output


def test_sweep_exits_1_when_a_year_has_no_holiday_data(cli_world: World) -> None:
    code, output = run("sweep", "--today", "2027-04-01")
    assert code == 1 and "calendar_not_covered" in output
    assert run("sweep", "--today", "yesterday")[0] == 2


def test_catalog_export(cli_world: World, tmp_path: Path) -> None:
    out = tmp_path / "out" / "catalog-2026.xlsx"
    code, output = run(
        "catalog", "export", "--year", "2026", "--out", str(out), "--as-of", "2026-01-10"
    )
    assert code == 0, output
    assert "广东省制造业赋能资源目录（2026年）" in output and "共 2 项" in output
    book = load_workbook(out)
    codes = [row[1] for row in book["人工智能应用"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["AI-001", "AI-002"]


def test_events_list_and_export(cli_world: World, tmp_path: Path) -> None:
    with cli_world.sessions() as s:
        event = events.create_event(
            session=s,
            actor=cli_world.organiser,
            now=at(2026, 2, 1),
            data=EventInput("技术交流会", EventType.TECH_EXCHANGE, date(2026, 3, 1), "佛山市"),
        )
        s.commit()
    code, output = run("events", "list", "--as", "organiser")
    assert code == 0 and f"{event.id}\t2026-03-01\t技术交流会\t佛山市" in output
    out = tmp_path / "event.xlsx"
    assert run("events", "export", str(event.id), "--out", str(out), "--as", "organiser")[0] == 0
    assert load_workbook(out).sheetnames == ["活动概况"]
    code, output = run("events", "export", str(event.id), "--out", str(out), "--as", "organiser-2")
    assert code == 1 and "event_not_found" in output
