"""`funeng model build|info` on fast paths (the conversion replaced by the tiny fake one)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli.model_cmd import app
from tests.model.fakes import FakeConvert

runner = CliRunner()


def test_build_then_if_missing_then_info(fake_convert: FakeConvert, tmp_path: Path) -> None:
    target = tmp_path / "model"

    built = runner.invoke(app, ["build", "--out", str(target)])
    kept = runner.invoke(app, ["build", "--out", str(target), "--if-missing"])
    info = runner.invoke(app, ["info", "--path", str(target), "--no-sanity", "--verify"])

    assert built.exit_code == 0, built.output
    assert "已构建模型" in built.stdout and "权重哈希：sha256:" in built.stdout
    assert kept.exit_code == 0 and "模型已存在且完整" in kept.stdout
    assert fake_convert.calls == 1
    assert info.exit_code == 0, info.output
    assert "（complete）" in info.stdout and "已校验" in info.stdout


def test_build_refuses_with_the_error_code_and_exit_status_1(
    fake_convert: FakeConvert, tmp_path: Path
) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "thesis.docx").write_bytes(b"not a model")

    refused = runner.invoke(app, ["build", "--out", str(target)])

    assert refused.exit_code == 1
    assert "model_folder_foreign" in refused.stderr
    assert fake_convert.calls == 0


def test_if_missing_and_force_together_are_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--out", str(tmp_path), "--if-missing", "--force"])

    assert result.exit_code == 2


def test_info_on_a_missing_folder_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["info", "--path", str(tmp_path / "none"), "--no-sanity"])

    assert result.exit_code == 1
    assert "（missing）" in result.stdout
