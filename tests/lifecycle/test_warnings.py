"""Art.19(1) warnings on each backend: warned → rectification → closed or removed; the six
months counted in calendar months and moved past rest days; audited, emitted, notified."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import library
from registry.enums import LibraryStatus
from registry.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from registry.models import LibraryEntryHistory, LibraryWarning, Notification
from registry.models.monitoring import WarningReason as R
from registry.models.monitoring import WarningStatus
from registry.services import warnings
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions, outbox

pytestmark = pytest.mark.postgres


def warn(s: Session, w: World, code: str = "AI-001", day: tuple[int, int, int] = (2025, 12, 31)):
    warning = warnings.warn_entry(
        session=s,
        actor=w.staff,
        now=at(*day),
        resource_code=code,
        reasons=[R.POOR_FEEDBACK, R.NO_CASES],
        detail="2025年度用户满意度调查低于60%",
    )
    s.commit()
    return warning


def status(s: Session, code: str) -> LibraryStatus | None:
    s.expire_all()
    views = library.entries(session=s, codes=[code])
    return views[0].status if views else None


def test_warn_rectify_close(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    warning = warn(s, world)
    assert warning.rectification_due_on == date(2026, 6, 30)  # 31 Dec + 6 months: 30 June
    assert status(s, "AI-001") is LibraryStatus.WARNED  # still in the library, still searchable
    assert outbox(s)[-1] == ("AI-001", "warned")
    provider = world.providers[1].actor
    warnings.submit_rectification(
        session=s,
        actor=provider,
        now=at(2026, 3, 1),
        warning_id=warning.id,
        rectification="补充3个2026年新案例，用户回访满意度92%",
    )
    s.commit()
    warnings.close_warning(
        session=s,
        actor=world.staff,
        now=at(2026, 3, 10),
        warning_id=warning.id,
        note="整改材料属实，解除预警",
    )
    s.commit()
    assert status(s, "AI-001") is LibraryStatus.CERTIFIED
    assert outbox(s)[-1] == ("AI-001", "warning_closed")
    history = s.scalars(select(LibraryEntryHistory).order_by(LibraryEntryHistory.id)).all()
    assert [(h.from_status.value, h.to_status.value, h.event) for h in history] == [
        ("certified", "warned", "warn"),
        ("warned", "certified", "close_warning"),
    ]
    assert audit_actions(s, "warning.") == ["warning.create", "warning.rectify", "warning.closed"]
    assert audit_actions(s, "library.") == ["library.warn", "library.close_warning"]
    messages = s.scalars(select(Notification.message).order_by(Notification.id)).all()
    assert any("2026-06-30前完成整改" in m for m in messages)


def test_a_deadline_on_a_saturday_moves_to_monday(world: World, db_session: Session) -> None:
    world.certify("AI-001", n=1)
    # 30 Nov 2025 + 6 months = Saturday 30 May 2026; Sunday 31 May; Monday 1 June.
    assert warn(db_session, world, day=(2025, 11, 30)).rectification_due_on == date(2026, 6, 1)


def test_remove_after_the_period_only(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    warning = warn(s, world)
    with pytest.raises(TransitionNotAllowed) as early:
        warnings.remove_after_warning(
            session=s,
            actor=world.staff,
            now=at(2026, 6, 30, 18),
            warning_id=warning.id,
            note="逾期未整改",
        )
    s.rollback()
    assert early.value.code == "rectification_period_running"
    assert early.value.article == "Art.19(1)"
    warnings.remove_after_warning(
        session=s,
        actor=world.staff,
        now=at(2026, 7, 1),
        warning_id=warning.id,
        note="逾期未整改，移出资源库",
    )
    s.commit()
    assert status(s, "AI-001") is None  # gone from the read model the index uses
    assert outbox(s)[-1] == ("AI-001", "removed")
    s.expire_all()
    assert s.get(LibraryWarning, warning.id).status is WarningStatus.REMOVED  # type: ignore[union-attr]


def test_refusals_leave_the_database_unchanged(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    warning = warn(s, world)
    before = row_counts(s)
    provider2 = world.providers[2].actor

    def refused(error: type[Exception], call) -> Exception:  # type: ignore[no-untyped-def]
        with pytest.raises(error) as caught:
            call()
        s.rollback()
        assert row_counts(s) == before
        return caught.value

    e = refused(
        PermissionDenied,
        lambda: warnings.warn_entry(
            session=s,
            actor=world.providers[1].actor,
            now=at(2026, 1, 5),
            resource_code="AI-002",
            reasons=[R.OUTDATED],
            detail="x",
        ),
    )
    assert (e.code, e.article) == ("role_not_allowed", "Art.19(1)")
    e = refused(
        InvalidInput,
        lambda: warnings.warn_entry(
            session=s,
            actor=world.staff,
            now=at(2026, 1, 5),
            resource_code="AI-002",
            reasons=[],
            detail="x",
        ),
    )
    assert e.code == "reasons_required"
    e = refused(
        InvalidInput,
        lambda: warnings.warn_entry(
            session=s,
            actor=world.staff,
            now=at(2026, 1, 5),
            resource_code="AI-002",
            reasons=["bad_reason"],
            detail="x",
        ),
    )  # type: ignore[list-item]
    assert e.code == "warning_reason_invalid"
    e = refused(TransitionNotAllowed, lambda: warn(s, world))  # already warned
    assert (e.event, e.state) == ("warn", "warned")
    e = refused(NotFound, lambda: warn(s, world, code="NOPE-1"))
    assert e.code == "entry_not_found"
    e = refused(
        PermissionDenied,
        lambda: warnings.submit_rectification(
            session=s,
            actor=provider2,
            now=at(2026, 1, 5),
            warning_id=warning.id,
            rectification="不是本单位的",
        ),
    )
    assert e.code == "not_own_organisation"
    e = refused(
        NotFound,
        lambda: warnings.get_warning(session=s, actor=world.gz_reviewer, warning_id=warning.id),
    )  # 东莞's, not 广州's
    assert e.code == "warning_not_found"
    assert warnings.get_warning(session=s, actor=world.dg_reviewer, warning_id=warning.id)


def test_late_rectification_is_accepted_and_lists_are_scoped(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2, city="广州市")
    first = warn(s, world, "AI-001")
    warn(s, world, "AI-002", day=(2026, 1, 15))
    now = at(2026, 7, 2)
    listed = warnings.warnings_list(session=s, actor=world.staff, now=now)
    assert [(v.resource_code, v.overdue) for v in listed] == [("AI-001", True), ("AI-002", False)]
    assert [
        v.resource_code
        for v in warnings.warnings_list(session=s, actor=world.providers[2].actor, now=now)
    ] == ["AI-002"]
    assert [
        v.resource_code for v in warnings.warnings_list(session=s, actor=world.dg_reviewer, now=now)
    ] == ["AI-001"]
    warnings.submit_rectification(
        session=s,
        actor=world.providers[1].actor,
        now=now,
        warning_id=first.id,
        rectification="逾期提交的整改报告",
    )
    s.commit()
    s.expire_all()
    assert s.get(LibraryWarning, first.id).status is WarningStatus.RECTIFIED  # type: ignore[union-attr]
