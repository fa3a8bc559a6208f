"""`funeng registry …` end to end on a SQLite file: migrate, load, reload, status, overdue,
calendar, users, and the non-zero exit of a refused load."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from registry.services import accounts
from tests.db.factories import FAST_HASHER

FIXTURE = Path(__file__).parent / "fixtures" / "loader"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FUNENG_DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'funeng.db'}")
    monkeypatch.setenv("FUNENG_VAR_DIR", str(tmp_path / "var"))
    # Real argon2 parameters cost 0.15 s a hash; these tests are about the commands.
    monkeypatch.setattr(accounts, "DEFAULT_HASHER", FAST_HASHER)
    return tmp_path


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["registry", *args], input=input)
    return result.exit_code, result.output


def fixture_load(*files: str, keep_going: bool = False) -> tuple[int, str]:
    args = [
        "load",
        *(str(FIXTURE / f) for f in files),
        "--batches",
        str(FIXTURE / "batches.yaml"),
        "--users",
        str(FIXTURE / "users.yaml"),
    ]
    return invoke(*args, *(["--keep-going"] if keep_going else []))


def test_load_needs_a_migrated_database(cli_env: Path) -> None:
    code, output = fixture_load("library.yaml")
    assert code == 2 and "funeng registry migrate" in output


def test_migrate_load_reload_status(cli_env: Path) -> None:
    assert invoke("migrate")[0] == 0
    code, output = fixture_load("library.yaml")
    assert code == 0, output
    assert "[15/15]" in output and "资源 15，未变 0，被拒 0" in output
    assert (cli_env / "var" / "files").is_dir()
    code, output = fixture_load("library.yaml")
    assert code == 0 and "资源 0，未变 15，被拒 0" in output
    code, output = invoke("status")
    assert code == 0 and "certified\t6" in output and "资源库在库资源：6" in output
    code, output = invoke("overdue", "--now", "2026-03-01T09:00", "--as", "staff")
    assert code == 0 and "TS-003" in output and "地市初审" in output


def test_refused_load_exits_non_zero_unless_keep_going(cli_env: Path) -> None:
    invoke("migrate")
    code, output = fixture_load("library.yaml", "refused.yaml")
    assert code == 1
    assert "TZ-001 refused" in output and "art9.cases_too_few" in output
    assert "第九条第（二）项" in output
    code, output = fixture_load("library.yaml", "refused.yaml", keep_going=True)
    assert code == 0 and "被拒 1" in output


def test_calendar_and_users(cli_env: Path, tmp_path: Path) -> None:
    invoke("migrate")
    table = tmp_path / "2027.yaml"
    table.write_text(
        "year: 2027\nsource: 测试\nholidays:\n  - 2027-01-01\nworkdays: []\n", encoding="utf-8"
    )
    code, output = invoke("calendar", "load", str(table))
    assert code == 0 and "2027" in output
    assert "2027：放假 1 天" in invoke("calendar", "show")[1]
    code, output = invoke(
        "users",
        "create",
        "gz2",
        "--role",
        "municipal_reviewer",
        "--display-name",
        "广州二",
        "--city",
        "广州市",
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert code == 0 and "已创建用户 gz2" in output
    code, output = invoke(
        "users",
        "create",
        "bad",
        "--role",
        "municipal_reviewer",
        "--display-name",
        "X",
        "--city",
        "长沙市",
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert code == 1 and "art8.city_unknown" in output


def test_files_gc_lists_then_deletes_unreferenced_files(cli_env: Path) -> None:
    invoke("migrate")
    assert fixture_load("library.yaml")[0] == 0
    files = cli_env / "var" / "files"
    referenced = sorted(p for p in files.rglob("*") if p.is_file())
    stray = files / "ff" / ("f" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"bytes of a rolled-back upload")
    later = "2099-01-01T00:00"
    code, output = invoke("files", "gc", "--dry-run", "--now", later)
    assert (
        code == 0 and f"ff/{'f' * 62}" in output and "可清理无引用文件 1 个，共 29 字节" in output
    )
    assert stray.exists()
    assert "已清理无引用文件 0 个" in invoke("files", "gc")[1]  # young: its upload may be running
    code, output = invoke("files", "gc", "--now", later)
    assert code == 0 and "已清理无引用文件 1 个" in output and not stray.exists()
    assert sorted(p for p in files.rglob("*") if p.is_file()) == referenced and referenced
