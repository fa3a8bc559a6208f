"""Bad input and wrong actors: the right error code and article, and the database unchanged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.enums import ApplicationStatus as S
from registry.enums import ExpertCategory, MunicipalDecision, Role
from registry.errors import NotFound, PermissionDenied, RegistryError, RuleViolation
from registry.inputs import EvidenceInput, ScoreInput
from registry.models import Case, EvidenceDocument
from registry.seed_schema import EvidenceKind
from registry.services import access, experts, municipal, organisations, submissions
from registry.services.accounts import ExpertProfile
from registry.services.evidence import add_evidence
from registry.storage import FileStore
from tests.db.factories import (
    APPLICANT,
    World,
    add_provider_resource,
    add_user,
    application,
    at,
    build_world,
    org_input,
    row_counts,
    upload,
)

E = TypeVar("E", bound=RegistryError)


def refused(session: Session, error: type[E], action: Callable[[], object]) -> E:
    """Run `action` as one request would: it must raise `error`; the transaction rolls back."""
    before = row_counts(session)
    with pytest.raises(error) as info:
        action()
    session.rollback()
    assert row_counts(session) == before, "a refused action changed the database"
    return info.value


def codes(error: RegistryError) -> set[tuple[str, str]]:
    return {(f.code, f.article) for f in error.findings if f.blocking}


def submit(s: Session, w: World, now_day: tuple[int, int, int] = (2025, 11, 3)) -> None:
    submissions.submit_application(
        session=s,
        actor=w.provider,
        now=at(*now_day),
        application_id=w.application_id,
        commitment_signed=True,
    )


@pytest.fixture
def world(db_session: Session, file_store: FileStore) -> World:
    return build_world(db_session, file_store)


def test_wrong_uscc(db_session: Session, world: World, file_store: FileStore) -> None:
    bad = org_input(9)
    bad = replace(bad, uscc=bad.uscc[:-1] + ("0" if bad.uscc[-1] != "0" else "1"))
    error = refused(
        db_session,
        RegistryError,
        lambda: organisations.register_organisation(
            session=db_session,
            actor=APPLICANT,
            now=at(2025, 10, 21),
            data=bad,
            store=file_store,
            licence=upload("licence.pdf"),
        ),
    )
    assert (error.code, error.article) == ("art8.uscc_invalid", "Art.8")
    assert "校验位" in error.message


def test_unknown_city(db_session: Session, world: World, file_store: FileStore) -> None:
    error = refused(
        db_session,
        RegistryError,
        lambda: organisations.register_organisation(
            session=db_session,
            actor=APPLICANT,
            now=at(2025, 10, 21),
            data=org_input(9, city="长沙市"),
            store=file_store,
            licence=upload("licence.pdf"),
        ),
    )
    assert (error.code, error.article, error.loc) == ("art8.city_unknown", "Art.8", ("city",))


def test_fewer_than_three_cases(db_session: Session, world: World) -> None:
    db_session.delete(db_session.query(Case).filter_by(resource_id=world.resource_id).first())
    db_session.commit()
    error = refused(db_session, RuleViolation, lambda: submit(db_session, world))
    assert error.code == "submission_refused"
    assert codes(error) == {("art9.cases_too_few", "Art.9(2)")}
    assert "现有 2 个" in next(f.message for f in error.findings if f.blocking)
    assert application(db_session, world.application_id).status is S.DRAFT


def test_expired_certificate(db_session: Session, world: World, file_store: FileStore) -> None:
    add_evidence(
        session=db_session,
        actor=world.provider,
        now=at(2025, 10, 22),
        store=file_store,
        organisation_id=world.organisation_id,
        resource_id=world.resource_id,
        data=EvidenceInput(
            kind=EvidenceKind.CERTIFICATION,
            title="CCC 产品认证",
            issued_on=date(2021, 1, 1),
            expires_on=date(2025, 10, 31),
        ),
        upload=upload("ccc.pdf"),
    )
    db_session.commit()
    error = refused(db_session, RuleViolation, lambda: submit(db_session, world))
    assert codes(error) == {("art12.expired", "Art.12(1)")}


def test_late_submission(db_session: Session, world: World) -> None:
    error = refused(db_session, RuleViolation, lambda: submit(db_session, world, (2025, 11, 29)))
    assert codes(error) == {("art11.after_deadline", "Art.11")}


def test_all_findings_at_once(db_session: Session, world: World, file_store: FileStore) -> None:
    db_session.delete(db_session.query(Case).filter_by(resource_id=world.resource_id).first())
    evidence = db_session.query(EvidenceDocument).filter_by(resource_id=world.resource_id).one()
    evidence.issued_on = date(2019, 1, 1)  # a patent granted more than 5 years before
    db_session.commit()
    error = refused(
        db_session,
        RuleViolation,
        lambda: submissions.submit_application(
            session=db_session,
            actor=world.provider,
            now=at(2025, 12, 1),
            application_id=world.application_id,
            commitment_signed=False,
        ),
    )
    assert codes(error) == {
        ("art9.cases_too_few", "Art.9(2)"),
        ("art9.commitment_missing", "Art.9(5)"),
        ("art11.after_deadline", "Art.11"),
        ("art12.document_too_old", "Art.12(2)"),
    }


def test_wrong_role(db_session: Session, world: World) -> None:
    submit(db_session, world)
    db_session.commit()

    def decide_as(actor: Actor) -> Callable[[], object]:
        return lambda: municipal.municipal_decide(
            session=db_session,
            actor=actor,
            now=at(2025, 11, 4),
            application_id=world.application_id,
            decision=MunicipalDecision.RECOMMEND,
            reasons="同意",
        )

    for actor in (world.provider, world.staff, world.experts[0]):
        error = refused(db_session, PermissionDenied, decide_as(actor))
        assert (error.code, error.article) == ("role_not_allowed", "Art.13")


def test_wrong_city(db_session: Session, world: World) -> None:
    submit(db_session, world)
    db_session.commit()
    error = refused(
        db_session,
        PermissionDenied,
        lambda: municipal.municipal_decide(
            session=db_session,
            actor=world.other_reviewer,
            now=at(2025, 11, 4),
            application_id=world.application_id,
            decision=MunicipalDecision.RECOMMEND,
            reasons="同意",
        ),
    )
    assert (error.code, error.article) == ("wrong_city", "Art.13")


def test_provider_cannot_touch_another_organisation(
    db_session: Session, world: World, file_store: FileStore
) -> None:
    other, *_ = add_provider_resource(db_session, file_store, at(2025, 10, 21), n=5)
    db_session.commit()
    error = refused(
        db_session,
        PermissionDenied,
        lambda: submissions.submit_application(
            session=db_session,
            actor=other,
            now=at(2025, 11, 3),
            application_id=world.application_id,
            commitment_signed=True,
        ),
    )
    assert error.code == "not_own_organisation"


def _recommended(s: Session, w: World) -> None:
    submit(s, w)
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 5),
        application_id=w.application_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="同意推荐",
    )
    s.commit()


def test_expert_not_assigned(db_session: Session, world: World) -> None:
    _recommended(db_session, world)
    expert = world.experts[0]
    error = refused(
        db_session,
        PermissionDenied,
        lambda: experts.submit_score(
            session=db_session,
            actor=expert,
            now=at(2025, 11, 6),
            application_id=world.application_id,
            scores=ScoreInput(
                advancement=80, maturity=80, application_effect=80, promotion_value=80
            ),
        ),
    )
    assert (error.code, error.article) == ("expert_not_assigned", "Art.22")
    error = refused(
        db_session,
        PermissionDenied,
        lambda: access.get_application(
            session=db_session,
            actor=expert,
            application_id=world.application_id,
        ),
    )
    assert error.code == "expert_not_assigned"


def test_conflict_of_interest_blocks_assignment(db_session: Session, world: World) -> None:
    _recommended(db_session, world)
    org_name = application(db_session, world.application_id).resource.organisation.name
    insider = add_user(
        db_session, at(2025, 11, 5), "insider", Role.EXPERT, expert=experts_profile(org_name)
    )
    declared = world.experts[1]
    experts.declare_conflict(
        session=db_session,
        actor=declared,
        now=at(2025, 11, 5),
        organisation_id=world.organisation_id,
        reason="曾任该公司顾问",
    )
    db_session.commit()
    error = refused(
        db_session,
        RuleViolation,
        lambda: experts.assign_experts(
            session=db_session,
            actor=world.staff,
            now=at(2025, 11, 6),
            application_id=world.application_id,
            expert_ids=[e.expert_id or 0 for e in (world.experts[0], insider, declared)],
        ),
    )
    assert error.code == "conflict_of_interest"
    assert [(f.code, f.article, f.loc) for f in error.findings] == [
        ("art22.conflict_of_interest", "Art.22", ("expert_ids", 1)),
        ("art22.conflict_of_interest", "Art.22", ("expert_ids", 2)),
    ]


def experts_profile(affiliation: str) -> ExpertProfile:
    return ExpertProfile(category=ExpertCategory.TECHNICAL, affiliation=affiliation)


def test_missing_application(db_session: Session, world: World) -> None:
    error = refused(
        db_session,
        NotFound,
        lambda: access.get_application(
            session=db_session,
            actor=world.staff,
            application_id=999,
        ),
    )
    assert error.code == "not_found"


def test_anonymous_decision_refused(db_session: Session, world: World) -> None:
    submit(db_session, world)
    db_session.commit()
    ghost = Actor(user_id=None, role=Role.MUNICIPAL_REVIEWER, city="广州市")
    error = refused(
        db_session,
        PermissionDenied,
        lambda: municipal.municipal_decide(
            session=db_session,
            actor=ghost,
            now=at(2025, 11, 4),
            application_id=world.application_id,
            decision=MunicipalDecision.RECOMMEND,
            reasons="同意",
        ),
    )
    assert error.code == "sign_in_required"
