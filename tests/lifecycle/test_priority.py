"""Art.19(4) priority on each backend: set and unset each audited and emitted; setting the
value it already has changes nothing; only provincial staff, only entries in the library."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from registry import library
from registry.errors import NotFound, PermissionDenied
from registry.services import library_admin
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions, outbox

pytestmark = pytest.mark.postgres


def mark(s: Session, w: World, priority: bool, code: str = "AI-001") -> None:
    library_admin.set_priority(
        session=s,
        actor=w.staff,
        now=at(2025, 12, 1),
        resource_code=code,
        priority=priority,
        reason="应用成效显著",
    )
    s.commit()


def test_set_unset_and_no_op(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    mark(s, world, True)
    mark(s, world, True)  # no change: no audit row, no event
    assert library.entries(session=s)[0].priority
    mark(s, world, False)
    s.expire_all()
    assert not library.entries(session=s)[0].priority
    assert outbox(s) == [("AI-001", "certified"), ("AI-001", "priority_set"),
                         ("AI-001", "priority_unset")]  # fmt: skip
    assert audit_actions(s, "library.priority") == ["library.priority", "library.priority"]


def test_refusals(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    before = row_counts(s)
    with pytest.raises(PermissionDenied) as refused:
        library_admin.set_priority(
            session=s,
            actor=world.providers[1].actor,
            now=at(2025, 12, 1),
            resource_code="AI-001",
            priority=True,
        )
    s.rollback()
    assert refused.value.article == "Art.19(4)" and row_counts(s) == before
    with pytest.raises(NotFound) as missing:
        mark(s, world, True, code="NOPE-1")
    s.rollback()
    assert missing.value.code == "entry_not_found" and row_counts(s) == before
