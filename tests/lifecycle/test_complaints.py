"""Complaints and reports (Art.23) on each backend: filed by anyone with a follow-up token (only
its hash stored), assigned, investigated, closed; the token shows status and result, never the
staff's notes; a city handles only what is assigned to it."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from registry.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from registry.models import AuditEntry, Complaint
from registry.models.complaints import ComplaintStatus as C
from registry.models.complaints import ComplaintSubject
from registry.services import complaints
from registry.services.complaints import ComplaintInput
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions

pytestmark = pytest.mark.postgres
ABOUT_ENTRY = ComplaintInput(
    subject=ComplaintSubject.ENTRY,
    title="案例数据与实际不符",
    content="该资源宣称检出率99.5%，我司实际使用仅约90%。",
    resource_code="AI-001",
    contact_phone="0769-88888888",
)


def test_filed_assigned_investigated_closed_and_followed(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    complaint, token = complaints.file_complaint(session=s, now=at(2025, 12, 1), data=ABOUT_ENTRY)
    s.commit()
    assert complaint.reference == f"TS2025-{complaint.id:06d}"
    assert complaint.city == "东莞市" and complaint.status is C.RECEIVED
    followed = complaints.follow_up(session=s, token=token)
    assert (followed.status, followed.status_label, followed.result) == (C.RECEIVED, "已受理", None)
    assert world.dg_reviewer.user_id is not None
    complaints.assign_complaint(
        session=s,
        actor=world.staff,
        now=at(2025, 12, 2),
        complaint_id=complaint.id,
        assignee_user_id=world.dg_reviewer.user_id,
    )
    complaints.add_note(
        session=s,
        actor=world.dg_reviewer,
        now=at(2025, 12, 5),
        complaint_id=complaint.id,
        text="已约谈申报单位，调取验收报告（内部记录）",
    )
    s.commit()
    assert complaints.follow_up(session=s, token=token).status is C.INVESTIGATING
    complaints.close_complaint(
        session=s,
        actor=world.dg_reviewer,
        now=at(2025, 12, 12),
        complaint_id=complaint.id,
        result="经核实，检出率指标基于特定工况，已责令申报单位更正资源介绍。",
    )
    s.commit()
    followed = complaints.follow_up(session=s, token=token)
    assert followed.status is C.CLOSED and followed.result is not None
    assert "更正资源介绍" in followed.result
    shown = " ".join(str(v) for v in dataclasses.asdict(followed).values())
    assert "内部记录" not in shown and "dg-reviewer" not in shown  # never the notes or names
    assert audit_actions(s, "complaint.") == [
        "complaint.assign",
        "complaint.note",
        "complaint.close",
    ]
    # The token itself is stored nowhere: only its SHA-256.
    stored = s.scalar(select(Complaint.token_hash).where(Complaint.id == complaint.id))
    assert stored == complaints.token_hash(token) and stored != token
    assert token not in str(s.execute(text("SELECT * FROM complaints")).all())
    assert token not in str(s.scalars(select(AuditEntry.after)).all())


def test_tokens_only_open_their_own_complaint(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    first, first_token = complaints.file_complaint(session=s, now=at(2025, 12, 1), data=ABOUT_ENTRY)
    process = ComplaintInput(ComplaintSubject.PROCESS, "评审不公开", "希望公开专家评分规则")
    second, second_token = complaints.file_complaint(session=s, now=at(2025, 12, 1), data=process)
    s.commit()
    assert first_token != second_token
    assert complaints.follow_up(session=s, token=first_token).reference == first.reference
    assert complaints.follow_up(session=s, token=second_token).reference == second.reference
    for wrong in ("", first_token[:-1], first_token + "x", "not-a-token"):
        with pytest.raises(NotFound) as refused:
            complaints.follow_up(session=s, token=wrong)
        assert refused.value.code == "complaint_token_invalid"


def test_a_city_sees_only_what_is_assigned_to_it(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    complaint, _ = complaints.file_complaint(session=s, now=at(2025, 12, 1), data=ABOUT_ENTRY)
    s.commit()
    for reviewer in (world.dg_reviewer, world.gz_reviewer):
        assert complaints.complaints_list(session=s, actor=reviewer) == []
        with pytest.raises(NotFound):
            complaints.get_complaint(session=s, actor=reviewer, complaint_id=complaint.id)
    assert world.gz_reviewer.user_id is not None
    complaints.assign_complaint(
        session=s,
        actor=world.staff,
        now=at(2025, 12, 2),
        complaint_id=complaint.id,
        assignee_user_id=world.gz_reviewer.user_id,
    )
    s.commit()
    assert [c.id for c in complaints.complaints_list(session=s, actor=world.gz_reviewer)] == [
        complaint.id
    ]
    with pytest.raises(NotFound):
        complaints.add_note(
            session=s,
            actor=world.dg_reviewer,
            now=at(2025, 12, 3),
            complaint_id=complaint.id,
            text="无权处理",
        )


def test_bad_input_leaves_the_database_unchanged(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    complaint, _ = complaints.file_complaint(session=s, now=at(2025, 12, 1), data=ABOUT_ENTRY)
    s.commit()
    before = row_counts(s)
    attempts = [
        (InvalidInput, "complaint_resource_unknown", lambda: complaints.file_complaint(
            session=s, now=at(2025, 12, 1),
            data=dataclasses.replace(ABOUT_ENTRY, resource_code="NOPE-1"))),
        (InvalidInput, "complaint_incomplete", lambda: complaints.file_complaint(
            session=s, now=at(2025, 12, 1), data=dataclasses.replace(ABOUT_ENTRY, content=" "))),
        (InvalidInput, "complaint_organisation_unknown", lambda: complaints.file_complaint(
            session=s, now=at(2025, 12, 1),
            data=ComplaintInput(ComplaintSubject.ORGANISATION, "t", "c", organisation_id=999))),
        (InvalidInput, "complaint_subject_invalid", lambda: complaints.file_complaint(
            session=s, now=at(2025, 12, 1),
            data=dataclasses.replace(ABOUT_ENTRY, subject="gossip"))),  # type: ignore[arg-type]
        (InvalidInput, "complaint_assignee_invalid", lambda: complaints.assign_complaint(
            session=s, actor=world.staff, now=at(2025, 12, 2), complaint_id=complaint.id,
            assignee_user_id=world.providers[1].actor.user_id or 0)),
        (PermissionDenied, "role_not_allowed", lambda: complaints.assign_complaint(
            session=s, actor=world.dg_reviewer, now=at(2025, 12, 2), complaint_id=complaint.id,
            assignee_user_id=world.dg_reviewer.user_id or 0)),
        (TransitionNotAllowed, "transition_not_allowed", lambda: complaints.close_complaint(
            session=s, actor=world.staff, now=at(2025, 12, 2), complaint_id=complaint.id,
            result="已办结") and complaints.close_complaint(
            session=s, actor=world.staff, now=at(2025, 12, 3), complaint_id=complaint.id,
            result="再次办结")),
        (PermissionDenied, "role_not_allowed", lambda: complaints.complaints_list(
            session=s, actor=world.providers[1].actor)),
    ]  # fmt: skip
    for error, code, attempt in attempts:
        with pytest.raises(error) as refused:
            attempt()
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        assert row_counts(s) == before
