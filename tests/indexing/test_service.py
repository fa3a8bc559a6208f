"""Assembling a live index from plain values; `update_index` catches up or rebuilds."""

from __future__ import annotations

from pathlib import Path

from indexing.live import LiveIndex
from indexing.service import IndexOptions, create_live_index, snapshot_summary, update_index
from indexing.source import StaticSource
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer
from registry.enums import LibraryEventKind
from tests.indexing.conftest import CONFIG
from tests.indexing.views import KEYWORDS, entry, small_library


def test_build_then_catch_up_then_rebuild(tmp_path: Path, tokenizer: Tokenizer) -> None:
    source = StaticSource(small_library())
    options = IndexOptions(index_dir=tmp_path / "index", model="unused", warned_factor=0.4)

    def live() -> LiveIndex:
        return create_live_index(
            options=options,
            source=source,
            encoder=KeywordEncoder(KEYWORDS),
            tokenizer=tokenizer,
            config=CONFIG,
        )

    assert snapshot_summary(options.index_dir) is None
    first = live()
    report = update_index(first, rebuild=False)
    first.close()
    assert (report.origin, report.events_applied) == ("built", 0)
    summary = snapshot_summary(options.index_dir)
    assert summary is not None and summary["name"] == report.snapshot
    assert summary["factors"] == {"warned_factor": 0.4, "priority_boost": 1.2}
    assert (options.index_dir / "embeddings.sqlite").is_file()

    source.put(entry("AI-011", "视觉定位引导", "机器视觉定位"), LibraryEventKind.CERTIFIED)
    second = live()
    caught_up = update_index(second, rebuild=False)
    assert (caught_up.origin, caught_up.events_applied) == ("snapshot", 1)
    assert caught_up.snapshot != report.snapshot  # the caught-up index was written again
    assert snapshot_summary(options.index_dir)["counts"]["resources"] == 5  # type: ignore[index]
    second.close()

    third = live()
    rebuilt = update_index(third, rebuild=True)
    assert rebuilt.origin == "built" and third.status().resources == 5
    assert len(snapshot_summary(options.index_dir)["snapshots"]) == 2  # type: ignore[index]
    third.close()
