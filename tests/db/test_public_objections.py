"""Art.15 objections raised online by anyone: only on an application in publicity and during
its period, with name, contact and content; a follow-up token of which only the hash is kept;
the province decides them as any other, and certification waits for them. On both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.enums import ApplicationStatus as S
from registry.enums import ObjectionDecision
from registry.errors import InvalidInput, NotFound, TransitionNotAllowed
from registry.models import AuditEntry, Objection
from registry.services import publicity
from registry.services.complaints import token_hash
from registry.storage import FileStore
from tests.db.factories import application, at, build_world
from tests.db.test_pipeline import _to_publicity

OBJECTOR = {
    "name": "某竞争企业 李先生",
    "contact": "13800000000",
    "content": "案例 2 的客户未实际使用",
}


def _raise(s: Session, app_id: int, **changes: str) -> tuple[Objection, str]:
    fields = OBJECTOR | changes
    return publicity.raise_public_objection(
        session=s, now=at(2025, 11, 17), application_id=app_id, **fields
    )


def test_anyone_objects_and_follows_the_decision(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    w = build_world(s, file_store)
    app_id = _to_publicity(s, w)
    objection, token = _raise(s, app_id)
    s.commit()
    stored = s.get(Objection, objection.id)
    assert stored is not None and stored.recorded_by_user_id is None
    assert stored.contact == "13800000000" and stored.token_hash == token_hash(token)
    assert token not in {stored.raised_by, stored.contact, stored.content, stored.token_hash}
    seen = publicity.objection_follow_up(session=s, token=token)
    assert seen.decision is None and seen.status_label.startswith("待")
    assert seen.reference == f"YY2025-{objection.id:06d}"
    with pytest.raises(TransitionNotAllowed) as pending:  # certification waits for it
        publicity.certify(session=s, actor=w.staff, now=at(2025, 11, 21), application_id=app_id)
    assert pending.value.code == "art15.objection_pending"
    s.rollback()
    publicity.decide_objection(
        session=s,
        actor=w.staff,
        now=at(2025, 11, 20),
        objection_id=objection.id,
        upheld=True,
        reason="经核查属实",
    )
    s.commit()
    seen = publicity.objection_follow_up(session=s, token=token)
    assert seen.decision is ObjectionDecision.UPHELD and seen.decision_reason == "经核查属实"
    assert application(s, app_id).status is S.REJECTED
    actions = set(s.scalars(select(AuditEntry.action)))
    assert "objection.decide" in actions


def test_only_in_publicity_and_within_its_period(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    w = build_world(s, file_store)
    with pytest.raises(NotFound) as draft:  # a draft is not public: not even confirmed to exist
        _raise(s, w.application_id)
    assert draft.value.code == "publicity_item_not_found" and draft.value.article == "Art.15"
    with pytest.raises(NotFound):
        _raise(s, 999_999)
    app_id = _to_publicity(s, w)  # publicity due 2025-11-20 23:59:59
    with pytest.raises(TransitionNotAllowed) as late:
        publicity.raise_public_objection(
            session=s, now=at(2025, 11, 21, 0, 1), application_id=app_id, **OBJECTOR
        )
    assert late.value.code == "art15.publicity_over"


@pytest.mark.parametrize("missing", ["name", "contact", "content"])
def test_name_contact_and_content_are_required(
    db_session: Session, file_store: FileStore, missing: str
) -> None:
    s = db_session
    app_id = _to_publicity(s, build_world(s, file_store))
    with pytest.raises(InvalidInput) as refused:
        _raise(s, app_id, **{missing: "  "})
    assert refused.value.code == "objection_incomplete" and refused.value.loc == (missing,)


def test_a_wrong_token_finds_nothing(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    app_id = _to_publicity(s, build_world(s, file_store))
    _, token = _raise(s, app_id)
    s.commit()
    for wrong in (token[:-1], "", token_hash(token)):
        with pytest.raises(NotFound) as refused:
            publicity.objection_follow_up(session=s, token=wrong)
        assert refused.value.code == "objection_token_invalid"


def test_staff_recorded_objections_still_work(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    app_id = _to_publicity(s, w)
    recorded = publicity.raise_objection(
        session=s,
        actor=w.staff,
        now=at(2025, 11, 17),
        application_id=app_id,
        raised_by="来信",
        content="异议",
    )
    public, _ = _raise(s, app_id)
    s.commit()
    assert recorded.recorded_by_user_id == w.staff.user_id and recorded.token_hash is None
    assert public.id != recorded.id
