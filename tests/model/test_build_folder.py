"""What `build_model` does with the output folder (create, keep, refuse, repair, replace,
clean up after a killed build), with the slow conversion replaced by a tiny fake one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from indexing.model_build import (
    FolderState,
    ModelFolderExists,
    build_model,
    check_folder,
    tokenizer_source,
    weights_source,
)
from indexing.model_build.sources import SourceFile
from matcher.encoders import MODEL_MANIFEST_FILE
from tests.model.fakes import FakeConvert

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "models" / "multilingual-e5-small"


def sources() -> list[SourceFile]:
    return [weights_source(), tokenizer_source()]


def test_builds_a_missing_folder_and_keeps_it_with_if_missing(
    fake_convert: FakeConvert, target: Path
) -> None:
    first = build_model(out_dir=target, now=NOW)
    again = build_model(out_dir=target, now=NOW, if_missing=True)

    assert (first.action, again.action, fake_convert.calls) == ("built", "kept", 1)
    assert again.manifest == first.manifest
    assert check_folder(target, sources=sources(), verify_hashes=True).state is (
        FolderState.COMPLETE
    )
    assert sorted(p.name for p in target.parent.iterdir()) == [
        ".multilingual-e5-small.lock",
        "multilingual-e5-small",
    ]


def test_an_empty_folder_counts_as_missing(fake_convert: FakeConvert, target: Path) -> None:
    target.mkdir(parents=True)

    assert check_folder(target).state is FolderState.MISSING
    assert build_model(out_dir=target, now=NOW).action == "built"


def test_refuses_to_overwrite_a_finished_build_without_force(
    fake_convert: FakeConvert, target: Path
) -> None:
    build_model(out_dir=target, now=NOW)

    with pytest.raises(ModelFolderExists) as refused:
        build_model(out_dir=target, now=NOW)

    assert refused.value.code == "model_exists"
    rebuilt = build_model(out_dir=target, now=NOW, force=True)
    assert (rebuilt.action, fake_convert.calls) == ("built", 2)
    assert rebuilt.previous.state is FolderState.COMPLETE


def damage_by_truncating_weights(folder: Path) -> None:
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8])


def damage_by_removing_manifest(folder: Path) -> None:
    (folder / MODEL_MANIFEST_FILE).unlink()


def damage_by_corrupting_manifest(folder: Path) -> None:
    (folder / MODEL_MANIFEST_FILE).write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [damage_by_truncating_weights, damage_by_removing_manifest, damage_by_corrupting_manifest],
)
def test_half_written_folder_is_refused_then_repaired_with_if_missing(
    fake_convert: FakeConvert, target: Path, damage: Callable[[Path], None]
) -> None:
    build_model(out_dir=target, now=NOW)
    damage(target)
    assert check_folder(target, sources=sources()).state is FolderState.INCOMPLETE

    with pytest.raises(ModelFolderExists) as refused:
        build_model(out_dir=target, now=NOW)
    repaired = build_model(out_dir=target, now=NOW, if_missing=True)

    assert refused.value.code == "model_incomplete"
    assert repaired.action == "built"
    assert check_folder(target, sources=sources(), verify_hashes=True).state is (
        FolderState.COMPLETE
    )


def test_changed_source_makes_a_build_stale_and_if_missing_rebuilds(
    fake_convert: FakeConvert, target: Path
) -> None:
    build_model(out_dir=target, now=NOW)
    manifest_path = target / MODEL_MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["sources"][0]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    assert check_folder(target, sources=sources()).state is FolderState.STALE
    with pytest.raises(ModelFolderExists, match="已过期"):
        build_model(out_dir=target, now=NOW)
    assert build_model(out_dir=target, now=NOW, if_missing=True).action == "built"


def test_never_deletes_a_folder_that_is_not_a_model_without_force(
    fake_convert: FakeConvert, target: Path
) -> None:
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ModelFolderExists) as refused:
        build_model(out_dir=target, now=NOW, if_missing=True)

    assert refused.value.code == "model_folder_foreign"
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert build_model(out_dir=target, now=NOW, force=True).action == "built"
    assert not (target / "notes.txt").exists()


def test_a_failed_build_leaves_the_previous_model_and_no_staging(
    fake_convert: FakeConvert, target: Path
) -> None:
    first = build_model(out_dir=target, now=NOW)
    fake_convert.fail = True

    with pytest.raises(RuntimeError, match="half-way"):
        build_model(out_dir=target, now=NOW, force=True)

    check = check_folder(target, sources=sources(), verify_hashes=True)
    assert check.state is FolderState.COMPLETE
    assert check.manifest == first.manifest
    assert not list(target.parent.glob(".multilingual-e5-small.staging-*"))


def test_leftovers_of_a_killed_build_are_removed_by_the_next_one(
    fake_convert: FakeConvert, target: Path
) -> None:
    target.parent.mkdir(parents=True)
    leftover = target.parent / ".multilingual-e5-small.staging-99999-deadbeef"
    (leftover / "model").mkdir(parents=True)
    (leftover / "model" / "model.safetensors").write_bytes(b"partial")

    result = build_model(out_dir=target, now=NOW, if_missing=True)

    assert result.removed_leftovers == (leftover,)
    assert not leftover.exists()


def test_if_missing_and_force_exclude_each_other(target: Path) -> None:
    with pytest.raises(ValueError, match="exclude"):
        build_model(out_dir=target, now=NOW, if_missing=True, force=True)
