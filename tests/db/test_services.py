"""Services around the pipeline: overdue steps, holiday tables, bans, priority, editing,
accounts, access scopes and library listeners."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import library
from registry.actor import Actor
from registry.calendar_store import save_year_tables, work_calendar
from registry.enums import ApplicationStatus as S
from registry.enums import LibraryEventKind, MunicipalDecision, PanelDecision, Role
from registry.errors import CalendarNotCovered, Conflict, NotFound, RuleViolation
from registry.models import Batch, Case, StoredFile
from registry.services import (
    accounts,
    bans,
    deadlines,
    library_admin,
    municipal,
    publicity,
    resources,
    submissions,
)
from registry.storage import FileStore, StoredBlob
from registry.workdays import YearTable
from tests.db.factories import (
    ADMIN,
    FAST_HASHER,
    PASSWORD,
    SH,
    application,
    at,
    build_world,
    resource_input,
    row_counts,
)
from tests.db.test_pipeline import _to_publicity, review_by_experts


def _submit(s: Session, provider: Actor, app_id: int, day: tuple[int, int, int]) -> None:
    submissions.submit_application(
        session=s,
        actor=provider,
        now=at(*day),
        application_id=app_id,
        commitment_signed=True,
    )
    s.commit()


def test_overdue_is_a_query_on_stored_deadlines(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    _submit(s, w.provider, w.application_id, (2025, 11, 3))  # due end of 2025-11-17
    on_time = deadlines.overdue(session=s, actor=w.staff, now=at(2025, 11, 17, 23, 59))
    assert on_time == []
    late = deadlines.overdue(session=s, actor=w.staff, now=at(2025, 11, 18, 0, 1))
    assert [(i.resource_code, i.status, i.article) for i in late] == [
        ("AI-001", S.MUNICIPAL_REVIEW, "Art.13")
    ]
    assert deadlines.overdue(session=s, actor=w.reviewer, now=at(2025, 11, 18, 9)) != []
    assert deadlines.overdue(session=s, actor=w.other_reviewer, now=at(2025, 11, 18, 9)) == []
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 18, 9),
        application_id=w.application_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="同意",
    )
    s.commit()  # the open step is now the expert review, due end of 2025-11-25
    assert deadlines.overdue(session=s, actor=w.staff, now=at(2025, 11, 25, 12)) == []
    assert [i.step for i in deadlines.overdue(session=s, actor=w.staff, now=at(2025, 11, 26))] == [
        "专家评审"
    ]


def test_a_year_without_holiday_data_is_refused_until_loaded(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    w = build_world(s, file_store)
    _submit(s, w.provider, w.application_id, (2025, 11, 3))
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 5),
        application_id=w.application_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="同意",
    )
    s.commit()
    review_by_experts(s, w, w.application_id, PanelDecision.PROPOSE)
    before = row_counts(s)
    # Publicity starting on 2026-12-28 ends in 2027, which chinese-calendar 1.11 does not cover.
    with pytest.raises(CalendarNotCovered) as info:
        publicity.start_publicity(
            session=s, actor=w.staff, now=at(2026, 12, 28), application_id=w.application_id
        )
    s.rollback()
    assert info.value.code == "calendar_not_covered" and "2027" in info.value.message
    assert row_counts(s) == before
    table = YearTable(2027, frozenset({date(2027, 1, 1)}), frozenset(), "测试用 2027 年节假日表")
    save_year_tables(session=s, actor=ADMIN, now=at(2026, 12, 1), tables=[table])
    s.commit()
    publicity.start_publicity(
        session=s, actor=w.staff, now=at(2026, 12, 28), application_id=w.application_id
    )
    s.commit()
    # 12-29, 12-30, 12-31, (1 January off), 1-4, 1-5: due at the end of 2027-01-05.
    due = application(s, w.application_id).publicity_due_at
    assert due == datetime(2027, 1, 5, 23, 59, 59, tzinfo=SH)
    assert work_calendar(s).loaded_years == (2027,)


def test_reloading_a_year_replaces_its_table(db_session: Session) -> None:
    s = db_session
    first = YearTable(2028, frozenset({date(2028, 1, 3)}), frozenset(), "初版")
    second = YearTable(2028, frozenset({date(2028, 1, 4)}), frozenset({date(2028, 1, 8)}), "修订")
    save_year_tables(session=s, actor=ADMIN, now=at(2027, 11, 1), tables=[first])
    s.commit()
    save_year_tables(session=s, actor=ADMIN, now=at(2027, 11, 2), tables=[second])
    s.commit()
    calendar = work_calendar(s)
    assert calendar.is_working_day(date(2028, 1, 3))
    assert not calendar.is_working_day(date(2028, 1, 4))
    assert calendar.is_working_day(date(2028, 1, 8))  # a make-up Saturday


def test_art21_void_bans_for_three_years(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    _submit(s, w.provider, w.application_id, (2025, 11, 3))
    bans.void_application(
        session=s,
        actor=w.staff,
        now=at(2025, 11, 10),
        application_id=w.application_id,
        reason="提供虚假检测报告",
    )
    s.commit()
    assert application(s, w.application_id).status is S.VOIDED
    ban = bans.ban_in_force(session=s, organisation_id=w.organisation_id, on=date(2028, 11, 10))
    assert ban is not None and ban.article == "Art.21" and ban.ends_on == date(2028, 11, 10)
    assert (
        bans.ban_in_force(session=s, organisation_id=w.organisation_id, on=date(2028, 11, 11))
        is None
    )
    s.add(
        Batch(
            code="2026Q1",
            title="2026年第一季度",
            opens_on=date(2026, 1, 5),
            deadline_on=date(2026, 3, 13),
            created_at=at(2025, 12, 1),
        )
    )
    s.commit()
    again = submissions.start_application(
        session=s,
        actor=w.provider,
        now=at(2026, 1, 6),
        resource_id=w.resource_id,
        batch_code="2026Q1",
    )
    s.commit()
    with pytest.raises(RuleViolation) as info:
        _submit(s, w.provider, again.id, (2026, 1, 7))
    s.rollback()
    assert ("art21.banned", "Art.21") in [
        (f.code, f.article) for f in info.value.findings if f.blocking
    ]


def test_priority_goes_to_the_outbox(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    app_id = _to_publicity(s, w)
    publicity.certify(session=s, actor=w.staff, now=at(2025, 11, 21), application_id=app_id)
    s.commit()
    heard: list[list[library.LibraryEvent]] = []
    library.add_listener(heard.append)
    try:
        library_admin.set_priority(
            session=s, actor=w.staff, now=at(2025, 12, 1), resource_code="AI-001", priority=True
        )
        s.rollback()  # a rolled-back change is never announced
        assert heard == []
        library_admin.set_priority(
            session=s, actor=w.staff, now=at(2025, 12, 1), resource_code="AI-001", priority=True
        )
        s.commit()
    finally:
        library.remove_listener(heard.append)
    assert [[e.kind for e in batch] for batch in heard] == [[LibraryEventKind.PRIORITY_SET]]
    assert library.entries(session=s, codes=["AI-001"])[0].priority
    with pytest.raises(NotFound):
        library_admin.set_priority(
            session=s, actor=w.staff, now=at(2025, 12, 1), resource_code="NOPE-1", priority=True
        )


def test_resource_locked_while_under_review(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    updated = resources.update_resource(
        session=s,
        actor=w.provider,
        now=at(2025, 10, 25),
        resource_id=w.resource_id,
        data=resource_input(title="机器视觉缺陷检测系统 V2", industries=("C39",)),
    )
    s.commit()
    assert updated.title.endswith("V2") and updated.industry_codes == ["C39"]
    _submit(s, w.provider, w.application_id, (2025, 11, 3))
    with pytest.raises(Conflict) as info:
        resources.update_resource(
            session=s,
            actor=w.provider,
            now=at(2025, 11, 4),
            resource_id=w.resource_id,
            data=resource_input(),
        )
    s.rollback()
    assert info.value.code == "resource_locked"
    assert s.scalar(select(Case.id).where(Case.resource_id == w.resource_id)) is not None


def test_evidence_file_is_stored_with_its_checksum(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    build_world(s, file_store)
    for row in s.scalars(select(StoredFile)):
        blob = StoredBlob(sha256=row.sha256, size_bytes=row.size_bytes, storage_key=row.storage_key)
        assert file_store.verify(blob)


def test_accounts_and_scopes(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    user = accounts.authenticate(session=s, username="staff", password=PASSWORD, hasher=FAST_HASHER)
    assert user is not None and user.role is Role.PROVINCIAL_STAFF
    assert user.password_hash.startswith("$argon2id$")
    assert (
        accounts.authenticate(
            session=s, username="staff", password="wrong-password", hasher=FAST_HASHER
        )
        is None
    )
    assert (
        accounts.authenticate(session=s, username="nobody", password=PASSWORD, hasher=FAST_HASHER)
        is None
    )
    _submit(s, w.provider, w.application_id, (2025, 11, 3))
    from registry.services.access import visible_applications

    assert [a.id for a in visible_applications(session=s, actor=w.reviewer)] == [w.application_id]
    assert visible_applications(session=s, actor=w.other_reviewer) == []
    assert visible_applications(session=s, actor=w.experts[0]) == []
    assert len(visible_applications(session=s, actor=w.staff)) == 1
