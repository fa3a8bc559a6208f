"""Every lifecycle change reaches a running live index within seconds (each backend): a direct
removal takes every entry of the organisation out of the results, a withdrawal too; a warning
flags and demotes, closing it restores; priority boosts. Deadline loops assert behaviour."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.embed_cache import EmbeddingCache
from indexing.live import LiveIndex
from indexing.source import DatabaseSource
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer, default_tokenizer
from registry.models.monitoring import RemovalGround, WarningReason
from registry.services import library_admin, removals, warnings, withdrawals
from tests.db.factories import at
from tests.lifecycle.views import CONFIG, KEYWORDS
from tests.lifecycle.world import World

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


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture
def live(
    world: World, db_sessions: sessionmaker[Session], tokenizer: Tokenizer, tmp_path: Path
) -> Iterator[LiveIndex]:
    world.certify("AI-001", n=1, summary="机器视觉注塑件外观缺陷检测")
    world.certify("AI-002", n=1, title="视觉缺陷检测一体机", summary="机器视觉缺陷检测")
    world.certify("AI-003", n=2, title="外观缺陷检测平台", summary="机器视觉外观缺陷检测，注塑件")
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    parts = IndexParts(
        encoder=KeywordEncoder(KEYWORDS),
        tokenizer=tokenizer,
        factors=DocumentFactors(warned_factor=0.5, priority_boost=1.5),
        config=CONFIG,
        cache=cache,
    )
    index = LiveIndex(source=DatabaseSource(db_sessions), parts=parts)
    assert index.open() == "built"
    # The poller wakes at once on the registry's after-commit listener (this process) and
    # polls the outbox every 0.5 s for changes made by other processes.
    index.start(poll_interval=0.5)
    yield index
    index.close()
    cache.close()


def ids(live: LiveIndex) -> list[str]:
    return [m.resource_id for m in live.match(VISION, k=10).matches]


def test_a_direct_removal_is_gone_within_two_seconds(
    world: World, live: LiveIndex, db_sessions: sessionmaker[Session]
) -> None:
    assert set(ids(live)) == {"AI-001", "AI-002", "AI-003"}
    with db_sessions() as s:
        removals.remove_organisation(
            session=s,
            actor=world.staff,
            now=at(2025, 12, 1),
            organisation_id=world.providers[1].organisation_id,
            ground=RemovalGround.FALSE_MATERIAL,
            reason="提供虚假材料",
        )
        s.commit()
    within_deadline(lambda: ids(live) == ["AI-003"])


def test_a_withdrawal_is_gone_within_two_seconds(
    world: World, live: LiveIndex, db_sessions: sessionmaker[Session]
) -> None:
    with db_sessions() as s:
        request = withdrawals.request_withdrawal(
            session=s,
            actor=world.providers[2].actor,
            now=at(2025, 12, 1),
            resource_code="AI-003",
            reason="停止服务",
        )
        withdrawals.forward_withdrawal(
            session=s,
            actor=world.dg_reviewer,
            now=at(2025, 12, 2),
            request_id=request.id,
            opinion="转报",
        )
        s.commit()
        assert "AI-003" in ids(live)  # forwarding changes nothing in the library
        withdrawals.approve_withdrawal(
            session=s, actor=world.staff, now=at(2025, 12, 3), request_id=request.id, note="同意"
        )
        s.commit()
    within_deadline(lambda: "AI-003" not in ids(live))


def test_warned_is_flagged_and_demoted_then_restored_priority_boosts(
    world: World, live: LiveIndex, db_sessions: sessionmaker[Session]
) -> None:
    leader = ids(live)[0]
    with db_sessions() as s:
        warning = warnings.warn_entry(
            session=s,
            actor=world.staff,
            now=at(2025, 12, 1),
            resource_code=leader,
            reasons=[WarningReason.POOR_FEEDBACK],
            detail="用户反馈较差",
        )
        s.commit()
    within_deadline(lambda: ids(live)[-1] == leader)  # demoted by half: last of three
    flags = {m.resource_id: m.flags for m in live.match(VISION, k=10).matches}
    assert flags[leader] == ("warned",)
    with db_sessions() as s:
        warnings.close_warning(
            session=s,
            actor=world.staff,
            now=at(2025, 12, 5),
            warning_id=warning.id,
            note="撤销预警",
        )
        s.commit()
    within_deadline(lambda: ids(live)[0] == leader)
    last = ids(live)[-1]
    with db_sessions() as s:
        library_admin.set_priority(
            session=s, actor=world.staff, now=at(2025, 12, 6), resource_code=last, priority=True
        )
        s.commit()
    within_deadline(lambda: ids(live)[0] == last)
    assert live.match(VISION, k=1).matches[0].flags == ("priority",)
