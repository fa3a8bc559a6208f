"""Run in a subprocess by test_snapshot_kill: writes snapshots into an index folder and is
killed by the test. `python -m tests.indexing.snapshot_child DIR STAGE` writes one complete
snapshot, then a second one that stops at STAGE (it creates DIR/at-STAGE and sleeps there);
with STAGE `loop` it writes bigger snapshots one after another until killed."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from indexing.build import IndexParts, build_matcher
from indexing.cursor import CursorState
from indexing.documents import DocumentFactors
from indexing.snapshot import SnapshotStore
from matcher.testing import KeywordEncoder
from matcher.tokenizer import default_tokenizer
from tests.indexing.views import KEYWORDS, entry, small_library

NOW = datetime(2025, 12, 1, tzinfo=UTC)
FACTORS = DocumentFactors()


def parts() -> IndexParts:
    return IndexParts(
        encoder=KeywordEncoder(KEYWORDS), tokenizer=default_tokenizer(), factors=FACTORS
    )


def big_library(n: int) -> list:  # type: ignore[type-arg]
    return [
        entry(f"R-{i:05d}", f"机器视觉检测方案{i}", f"第{i}号方案：机器视觉缺陷检测与MES排程")
        for i in range(n)
    ]


def main(directory: Path, stage: str) -> None:
    if stage == "loop":
        matcher = build_matcher(big_library(1500), parts=parts())
        store = SnapshotStore(directory)
        for i in range(10_000):
            store.write(matcher, cursor=CursorState(i), factors=FACTORS, now=NOW)
        return
    matcher = build_matcher(small_library(), parts=parts())
    SnapshotStore(directory).write(matcher, cursor=CursorState(1), factors=FACTORS, now=NOW)
    matcher.remove_resource("MF-004")

    def pause(reached: str) -> None:
        if reached == stage:
            (directory / f"at-{stage}").touch()
            time.sleep(600)  # killed here

    store = SnapshotStore(directory, stage_hook=pause)
    store.write(matcher, cursor=CursorState(2), factors=FACTORS, now=NOW + timedelta(1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
