"""Freshness against the registry database (SQLite and PostgreSQL): a resource certified through
the registry's services is findable, and a removed one gone, within 2 seconds of the event,
with the poller running; warned entries stay findable, flagged and below an equal entry."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from indexing.build import IndexParts
from indexing.live import LiveIndex
from indexing.snapshot import SnapshotStore
from indexing.source import DatabaseSource
from registry.actor import Actor
from registry.enums import LibraryEventKind as K
from registry.enums import LibraryStatus as S
from registry.enums import Role
from registry.services import batches, library_admin
from registry.storage import FileStore
from tests.db.factories import add_staff, add_user, at
from tests.indexing.registry_world import (
    certify,
    remove_after_warning,
    set_state_elsewhere,
    warn,
    withdraw,
)

pytestmark = pytest.mark.postgres
DEADLINE_SECONDS = 2.0
VISION = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"


def within_deadline(condition: Callable[[], bool]) -> float:
    """Seconds until `condition` held; fails when it did not within the deadline."""
    start = time.monotonic()
    while not condition():
        elapsed = time.monotonic() - start
        assert elapsed < DEADLINE_SECONDS, f"not fresh after {elapsed:.2f} s"
        time.sleep(0.01)
    return time.monotonic() - start


class Library:
    """Staff, a Dongguan reviewer and a batch, ready to certify resources of Dongguan
    enterprises; remembers each resource's provider."""

    def __init__(self, sessions: sessionmaker[Session], store: FileStore) -> None:
        self.sessions, self.store = sessions, store
        self.providers: dict[str, Actor] = {}
        with sessions() as s:
            self.staff, *_ = add_staff(s, at(2025, 10, 20))
            self.reviewer = add_user(
                s, at(2025, 10, 20), "dg-reviewer", Role.MUNICIPAL_REVIEWER, city="东莞市"
            )
            batches.create_batch(
                session=s,
                actor=self.staff,
                now=at(2025, 10, 20),
                code="2025Q4",
                title="2025年第四季度",
                opens_on=at(2025, 10, 9).date(),
                deadline_on=at(2025, 11, 28).date(),
            )
            s.commit()

    def certify(self, code: str, title: str, summary: str, *keywords: str) -> None:
        with self.sessions() as s:
            self.providers[code] = certify(
                s,
                self.store,
                self.staff,
                n=len(self.providers) + 1,
                code=code,
                title=title,
                summary=summary,
                keywords=keywords or ("机器视觉", "缺陷检测"),
            )


@pytest.fixture
def world(db_sessions: sessionmaker[Session], file_store: FileStore) -> Library:
    lib = Library(db_sessions, file_store)
    lib.certify("AI-001", "机器视觉缺陷检测系统", "基于深度学习的注塑件外观缺陷检测")
    lib.certify("MF-002", "离散制造MES系统", "MES 生产排程与质量追溯", "MES", "排程")
    return lib


@pytest.fixture
def live(
    world: Library, db_sessions: sessionmaker[Session], parts: IndexParts, tmp_path: Path
) -> Iterator[LiveIndex]:
    index = LiveIndex(
        source=DatabaseSource(db_sessions),
        parts=parts,
        snapshots=SnapshotStore(tmp_path / "index"),
    )
    assert index.open() == "built"
    index.start(poll_interval=0.5)
    yield index
    index.close()


def ids(live: LiveIndex, query: str = VISION) -> list[str]:
    return [m.resource_id for m in live.match(query, k=10).matches]


def flagged(live: LiveIndex, query: str = VISION) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.resource_id, m.flags) for m in live.match(query, k=10).matches]


def test_certified_findable_and_removed_gone_within_two_seconds(
    world: Library, live: LiveIndex, db_sessions: sessionmaker[Session]
) -> None:
    assert ids(live) == ["AI-001"]
    world.certify("AI-003", "视觉外观检测一体机", "机器视觉外观缺陷检测，注塑件与五金件")
    within_deadline(lambda: "AI-003" in ids(live))
    with db_sessions() as s:
        warning = warn(s, world.staff, "AI-001", at(2025, 12, 1))
    within_deadline(lambda: dict(flagged(live)).get("AI-001") == ("warned",))
    with db_sessions() as s:  # six months later, no rectification: removed (Art.19(1))
        remove_after_warning(s, world.staff, warning, at(2026, 7, 1))
    within_deadline(lambda: "AI-001" not in ids(live))
    with db_sessions() as s:  # the provider withdraws its resource (Art.19(3))
        withdraw(
            s,
            provider=world.providers["AI-003"],
            reviewer=world.reviewer,
            staff=world.staff,
            code="AI-003",
            now=at(2026, 7, 2),
        )
    within_deadline(lambda: ids(live) == [])
    kinds = [e.kind for e in DatabaseSource(db_sessions).events_after(0, 100)]
    assert kinds[-3:] == [K.WARNED, K.REMOVED, K.WITHDRAWN]
    assert live.status().corpus_version == len(kinds)


def test_a_change_from_another_process_is_found_by_the_poller(
    live: LiveIndex, db_engine: Engine
) -> None:
    set_state_elsewhere(db_engine, "AI-001", S.REMOVED, K.REMOVED, at(2025, 12, 1))
    within_deadline(lambda: "AI-001" not in ids(live))


def test_warned_found_flagged_and_below_an_equal_entry(
    world: Library, live: LiveIndex, db_sessions: sessionmaker[Session]
) -> None:
    world.certify("AI-004", "机器视觉缺陷检测系统", "基于深度学习的注塑件外观缺陷检测")
    within_deadline(lambda: "AI-004" in ids(live))
    leader = ids(live)[0]
    other = "AI-004" if leader == "AI-001" else "AI-001"
    with db_sessions() as s:
        warn(s, world.staff, leader, at(2025, 12, 1))
    within_deadline(lambda: ids(live)[:2] == [other, leader])
    flags = {m.resource_id: m.flags for m in live.match(VISION, k=10).matches}
    assert flags == {other: (), leader: ("warned",)}
    with db_sessions() as s:
        library_admin.set_priority(
            session=s, actor=world.staff, now=at(2025, 12, 2), resource_code=leader, priority=True
        )
        s.commit()
    # Warned (x0.5) and priority (x1.5): still below the plain twin, both flags shown.
    within_deadline(lambda: live.match(VISION, k=10).matches[1].flags == ("warned", "priority"))


def test_rebuild_in_background_while_searching_never_returns_a_partial_result(
    world: Library, live: LiveIndex
) -> None:
    for i in range(3, 9):
        world.certify(f"AI-{i:03d}", f"机器视觉检测方案{i}", "机器视觉外观缺陷检测")
    expected = {"AI-001", *(f"AI-{i:03d}" for i in range(3, 9))}
    within_deadline(lambda: set(ids(live)) == expected)
    stop, seen = threading.Event(), []

    def search() -> None:
        while not stop.is_set():
            seen.append(frozenset(ids(live)))

    reader = threading.Thread(target=search)
    reader.start()
    try:
        for _ in range(3):
            live.rebuild_in_background().result(timeout=60)
    finally:
        stop.set()
        reader.join()
    assert set(seen) == {frozenset(expected)}
    assert live.status().origin == "build" and not live.status().rebuilding
