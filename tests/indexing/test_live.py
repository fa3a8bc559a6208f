"""The live index over an in-memory library: events applied incrementally, snapshots resumed,
searches during updates and during a background rebuild never see a partial index."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexing.build import IndexParts
from indexing.errors import IndexNotReady
from indexing.live import LiveIndex
from indexing.snapshot import SnapshotStore
from indexing.source import StaticSource
from matcher.testing import KeywordEncoder
from registry.enums import LibraryEventKind as K
from registry.enums import LibraryStatus
from tests.indexing.views import KEYWORDS, case, entry, small_library

VISION = "东莞注塑厂想用机器视觉做外观缺陷检测"


def ids(live: LiveIndex, query: str, k: int = 10) -> list[str]:
    return [m.resource_id for m in live.match(query, k=k).matches]


def eventually(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.01)


@pytest.fixture
def source() -> StaticSource:
    return StaticSource(small_library())


@pytest.fixture
def live(source: StaticSource, parts: IndexParts, tmp_path: Path) -> Iterator[LiveIndex]:
    index = LiveIndex(source=source, parts=parts, snapshots=SnapshotStore(tmp_path / "index"))
    yield index
    index.close()


def test_not_ready_before_open(live: LiveIndex) -> None:
    with pytest.raises(IndexNotReady) as caught:
        live.match(VISION)
    assert caught.value.code == "index_not_ready"
    assert live.apply_events() == 0 and not live.status().ready


def test_open_builds_then_resumes_from_the_snapshot(
    live: LiveIndex, source: StaticSource, parts: IndexParts, tmp_path: Path
) -> None:
    source.put(entry("AI-005", "视觉检测服务", "机器视觉"), K.CERTIFIED)
    assert live.open() == "built"
    status = live.status()
    assert (status.ready, status.origin, status.resources, status.cases) == (True, "build", 5, 5)
    assert status.corpus_version == 1 and status.snapshot is not None
    # Changes after the snapshot are caught up when another process opens it.
    source.drop("AI-005", K.WITHDRAWN)
    source.put(entry("AI-006", "机器视觉质检云", "机器视觉缺陷检测"), K.CERTIFIED)
    other = LiveIndex(source=source, parts=parts, snapshots=SnapshotStore(tmp_path / "index"))
    assert other.open() == "snapshot"
    assert "AI-005" not in ids(other, VISION) and "AI-006" in ids(other, VISION)
    assert other.status().corpus_version == 3 and other.status().events_applied == 2
    other.close()


def test_events_add_update_and_remove(live: LiveIndex, source: StaticSource) -> None:
    live.open()
    assert ids(live, "直播带货") == ["MK-003"]
    source.put(entry("AI-007", "直播间智能剪辑", "直播切片与品牌内容生成"), K.CERTIFIED)
    source.drop("MK-003", K.REMOVED)
    assert live.apply_events() == 2
    assert ids(live, "直播带货") == ["AI-007"]
    # An update replaces the resource's documents: a case that is gone leaves the index.
    old = source.entries(["AI-001"])[0]
    source.put(
        replace(old, title="机器视觉外观检测平台", cases=(case(99, "五金件检测", "机器视觉"),)),
        K.UPDATED,
    )
    assert live.apply_events() == 1
    docs = live.matcher.corpus.doc_ids_of("AI-001")
    assert docs == ["AI-001", "AI-001#case-99"]
    assert live.document("AI-001").title == "机器视觉外观检测平台"  # type: ignore[union-attr]
    assert live.apply_events() == 0
    assert live.status().last_event_id == 3


def test_warned_is_found_flagged_and_demoted(live: LiveIndex, source: StaticSource) -> None:
    twin = replace(source.entries(["AI-001"])[0], resource_code="AI-009", provider_id=909)
    source.put(twin, K.CERTIFIED)
    live.open()
    before = {m.resource_id: m.score for m in live.match(VISION, k=5).matches}
    source.put(replace(twin, status=LibraryStatus.WARNED), K.WARNED)
    live.apply_events()
    matches = live.match(VISION, k=5).matches
    assert [m.resource_id for m in matches][:2] == ["AI-001", "AI-009"]
    assert matches[1].flags == ("warned",) and matches[0].flags == ()
    assert matches[0].score == pytest.approx(before["AI-001"])
    assert matches[1].score == pytest.approx(before["AI-009"] * 0.5)
    source.put(twin, K.WARNING_CLOSED)
    live.apply_events()
    assert live.match(VISION, k=5).matches[1].flags == ()


def test_poller_applies_changes_within_the_deadline(live: LiveIndex, source: StaticSource) -> None:
    live.open()
    live.start(poll_interval=0.05)
    try:
        source.put(entry("AI-008", "数字孪生产线仿真", "数字孪生与能耗优化"), K.CERTIFIED)
        eventually(lambda: "AI-008" in ids(live, "数字孪生产线仿真"))
        source.drop("AI-008")
        eventually(lambda: "AI-008" not in ids(live, "数字孪生产线仿真"))
        assert live.status().polling
    finally:
        live.stop()
    assert not live.status().polling


def test_match_async_runs_in_the_query_pool(live: LiveIndex) -> None:
    live.open()
    queries = [VISION, "MES 排程", "跨境电商", "能耗"]

    async def run() -> list[list[str]]:
        found = await asyncio.gather(*(live.match_async(q, k=3) for q in queries))
        return [[m.resource_id for m in r.matches] for r in found]

    assert asyncio.run(run()) == [ids(live, q, k=3) for q in queries]
    bundle = asyncio.run(live.match_bundle_async("机器视觉缺陷检测，MES排程，跨境电商"))
    assert {p.match.resource_id for p in bundle.parts} == {"AI-001", "MF-002", "MK-003"}


def test_searches_during_updates_always_see_the_whole_resource(
    live: LiveIndex, source: StaticSource
) -> None:
    live.open()
    base = source.entries(["AI-001"])[0]
    stop, searches = threading.Event(), [0]
    failures: list[object] = []

    def search() -> None:
        while not stop.is_set():
            try:
                found = ids(live, VISION, k=4)
                live.status()  # readiness probes run while the index changes
                if "AI-001" not in found:
                    failures.append(found)
                searches[0] += 1
            except Exception as error:  # any error is a failure of the test
                failures.append(error)

    readers = [threading.Thread(target=search) for _ in range(3)]
    for reader in readers:
        reader.start()
    for i in range(60):
        cases = tuple(case(1000 + j, f"机器视觉项目{i}-{j}", "缺陷检测") for j in range(i % 4))
        source.put(replace(base, summary=f"机器视觉缺陷检测 第{i}版", cases=cases), K.UPDATED)
        live.apply_events()
    stop.set()
    for reader in readers:
        reader.join()
    assert failures == [] and searches[0] > 0
    assert len(live.matcher.corpus.doc_ids_of("AI-001")) == 1 + 59 % 4


class GatedEncoder(KeywordEncoder):
    """Blocks the rebuild thread's first passage encoding until the test lets it go on."""

    def __init__(self, keywords: Sequence[str]) -> None:
        super().__init__(keywords)
        self.started, self.proceed = threading.Event(), threading.Event()

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        if threading.current_thread().name.startswith("funeng-index-rebuild"):
            self.started.set()
            assert self.proceed.wait(30)
        return super().encode_passages(texts)


def test_background_rebuild_swaps_whole_and_keeps_changes_made_meanwhile(
    source: StaticSource, parts: IndexParts, tmp_path: Path
) -> None:
    for i in range(40):
        source.put(entry(f"R-{i:03d}", f"机器视觉方案{i}", "机器视觉缺陷检测"), K.CERTIFIED)
    encoder = GatedEncoder(KEYWORDS)
    live = LiveIndex(
        source=source,
        parts=replace(parts, encoder=encoder, cache=None),
        snapshots=SnapshotStore(tmp_path / "index"),
    )
    encoder.proceed.set()
    live.open()
    encoder.proceed.clear()
    future = live.rebuild_in_background()
    assert encoder.started.wait(30)
    assert live.rebuild_in_background() is future  # one rebuild at a time
    assert live.status().rebuilding
    # Changes while the new index is being built: served at once by the old one...
    source.put(entry("R-900", "机器视觉新方案", "机器视觉缺陷检测"), K.CERTIFIED)
    source.drop("R-000")
    assert live.apply_events() == 2
    assert "R-900" in ids(live, "机器视觉", k=50) and "R-000" not in ids(live, "机器视觉", k=50)
    stop, sizes = threading.Event(), []

    def search() -> None:
        while not stop.is_set():
            sizes.append(len(ids(live, "机器视觉", k=100)))

    reader = threading.Thread(target=search)
    reader.start()
    encoder.proceed.set()
    future.result(timeout=60)
    stop.set()
    reader.join()
    # ...and kept by the new one; no search ever saw a partly built index (40 R-, AI-001).
    assert set(sizes) == {41} and len(sizes) > 0
    found = ids(live, "机器视觉", k=100)
    assert len(found) == 41 and "R-900" in found and "R-000" not in found
    status = live.status()
    assert (status.rebuilding, status.origin, status.resources) == (False, "build", 44)
    live.close()


def test_events_during_the_first_build_are_applied(source: StaticSource, parts: IndexParts) -> None:
    encoder = GatedEncoder(KEYWORDS)
    live = LiveIndex(source=source, parts=replace(parts, encoder=encoder, cache=None))
    future = live.rebuild_in_background()
    assert encoder.started.wait(30)
    source.put(entry("AI-010", "品牌全案策划", "品牌定位与直播推广"), K.CERTIFIED)
    assert live.apply_events() == 1  # nothing to apply it to yet: kept for the swap
    encoder.proceed.set()
    future.result(timeout=60)
    assert "AI-010" in ids(live, "品牌定位")
    live.close()


def test_a_saved_snapshot_resumes_exactly(
    live: LiveIndex, source: StaticSource, parts: IndexParts, tmp_path: Path
) -> None:
    live.open()
    source.put(entry("AI-012", "视觉分拣工作站", "机器视觉分拣"), K.CERTIFIED)
    live.apply_events()
    name = live.save_snapshot()
    other = LiveIndex(source=source, parts=parts, snapshots=SnapshotStore(tmp_path / "index"))
    assert other.open() == "snapshot"
    status = other.status()
    assert (status.snapshot, status.events_applied, status.corpus_version) == (name, 0, 1)
    assert other.matcher.corpus.docs == live.matcher.corpus.docs
    other.close()


def test_open_in_background(live: LiveIndex) -> None:
    future = live.open_in_background()
    assert future.result(timeout=60) == "built"
    assert live.status().ready and ids(live, "MES 排程") == ["MF-002"]
