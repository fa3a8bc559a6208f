"""A world for API tests, built through the registry services (the routes under test are then
called over HTTP): two providers in two cities, their reviewers, a panel of three experts and
one expert outside it, staff, an organiser and an administrator; and helpers that move an
application along the workflow so each route can be tested at its step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.enums import ExpertCategory, MunicipalDecision, PanelDecision, Role
from registry.inputs import ScoreInput
from registry.services import accounts, experts, municipal, publicity, resources, submissions
from registry.services.evidence import add_evidence
from registry.storage import FileStore
from tests.db.factories import (
    PATENT,
    World,
    add_provider_resource,
    add_user,
    at,
    build_world,
    case_input,
    org_input,
    resource_input,
    upload,
    uscc,
)

SCORES = ScoreInput(advancement=86, maturity=82, application_effect=80, promotion_value=88)
SUBMITTED_AT = at(2025, 11, 3)  # a Monday; municipal review due 2025-11-17 23:59:59
RECOMMENDED_AT = at(2025, 11, 6, 15)  # expert review due 2025-11-13 23:59:59
REPORTED_AT = at(2025, 11, 12, 16)
PUBLICITY_AT = at(2025, 11, 13)  # publicity due 2025-11-20 23:59:59
CERTIFIED_AT = at(2025, 11, 21, 10)


@dataclass
class ApiWorld:
    """Everyone the API tests act as, and the objects they act on."""

    base: World
    provider_b: Actor  # 深圳市
    organisation_b: int
    resource_b: int
    application_b: int
    expert_free: Actor  # in the pool, on no panel
    organiser: Actor
    admin: Actor
    relevance: Actor
    store: FileStore

    @property
    def provider_a(self) -> Actor:
        return self.base.provider

    @property
    def application_a(self) -> int:
        return self.base.application_id

    @property
    def panel(self) -> list[Actor]:
        return self.base.experts


def build_api_world(session: Session, store: FileStore) -> ApiWorld:
    """The world, committed; both applications are drafts."""
    now = at(2025, 10, 20)
    base = build_world(session, store, now)
    org_b = org_input(2, city="深圳市", uscc=uscc(2, "440300"), name="深圳测试智能科技有限公司2")
    provider_b, organisation_b, resource_b, application_b = add_provider_resource(
        session, store, now, n=2, org=org_b
    )
    expert_free = add_user(
        session,
        now,
        "expert-free",
        Role.EXPERT,
        expert=accounts.ExpertProfile(category=ExpertCategory.TECHNICAL, affiliation="华南某学院"),
    )
    organiser = add_user(session, now, "organiser", Role.ORGANISER)
    admin = add_user(session, now, "admin", Role.ADMIN)
    relevance = add_user(session, now, "relevance", Role.RELEVANCE_STAFF)
    session.commit()
    return ApiWorld(
        base,
        provider_b,
        organisation_b,
        resource_b,
        application_b,
        expert_free,
        organiser,
        admin,
        relevance,
        store,
    )


def submit(session: Session, provider: Actor, application_id: int, now: datetime) -> None:
    """The provider submits (municipal route: the city receives it at once)."""
    submissions.submit_application(
        session=session,
        actor=provider,
        now=now,
        application_id=application_id,
        commitment_signed=True,
    )
    session.commit()


def recommend(session: Session, reviewer: Actor, application_id: int, now: datetime) -> None:
    """The city recommends; the province receives it for expert review."""
    municipal.municipal_decide(
        session=session,
        actor=reviewer,
        now=now,
        application_id=application_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="材料齐全，同意推荐",
    )
    session.commit()


def assign_panel(session: Session, w: ApiWorld, application_id: int, now: datetime) -> None:
    """Staff assign the three experts of the panel."""
    experts.assign_experts(
        session=session,
        actor=w.base.staff,
        now=now,
        application_id=application_id,
        expert_ids=[e.expert_id for e in w.panel if e.expert_id is not None],
    )
    session.commit()


def score_all(session: Session, w: ApiWorld, application_id: int, now: datetime) -> None:
    """Every panel expert scores."""
    for expert in w.panel:
        experts.submit_score(
            session=session, actor=expert, now=now, application_id=application_id, scores=SCORES
        )
    session.commit()


def report(session: Session, w: ApiWorld, application_id: int, decision: PanelDecision) -> None:
    """Staff write the panel report."""
    experts.report_panel(
        session=session,
        actor=w.base.staff,
        now=REPORTED_AT,
        application_id=application_id,
        decision=decision,
        summary="专家组意见",
    )
    session.commit()


def _cast(w: ApiWorld, app_id: int) -> tuple[Actor, Actor]:
    """The provider and the city reviewer of provider B's application, or of one of A's."""
    if app_id == w.application_b:
        return w.provider_b, w.base.other_reviewer
    return w.provider_a, w.base.reviewer


def to_municipal_review(sessions: sessionmaker[Session], w: ApiWorld, app_id: int) -> None:
    """The application submitted and with its city."""
    with sessions() as s:
        submit(s, _cast(w, app_id)[0], app_id, SUBMITTED_AT)


def to_expert_review(
    sessions: sessionmaker[Session],
    w: ApiWorld,
    app_id: int | None = None,
    *,
    panel: bool = True,
    scored: bool = False,
) -> None:
    """The application (A's by default) recommended by its city, with its panel (and scores)."""
    app_id = app_id or w.application_a
    to_municipal_review(sessions, w, app_id)
    with sessions() as s:
        recommend(s, _cast(w, app_id)[1], app_id, RECOMMENDED_AT)
        if panel:
            assign_panel(s, w, app_id, at(2025, 11, 10))
        if scored:
            score_all(s, w, app_id, at(2025, 11, 11))


def to_publicity(sessions: sessionmaker[Session], w: ApiWorld, app_id: int | None = None) -> None:
    """The application (A's by default) proposed by the panel and in publicity."""
    app_id = app_id or w.application_a
    to_expert_review(sessions, w, app_id, scored=True)
    with sessions() as s:
        report(s, w, app_id, PanelDecision.PROPOSE)
        publicity.start_publicity(
            session=s, actor=w.base.staff, now=PUBLICITY_AT, application_id=app_id
        )
        s.commit()


def to_library(sessions: sessionmaker[Session], w: ApiWorld, app_id: int | None = None) -> None:
    """The resource of the application (A's by default) certified into the library."""
    app_id = app_id or w.application_a
    to_publicity(sessions, w, app_id)
    with sessions() as s:
        publicity.certify(session=s, actor=w.base.staff, now=CERTIFIED_AT, application_id=app_id)
        s.commit()


def new_resource(
    sessions: sessionmaker[Session],
    w: ApiWorld,
    code: str,
    *,
    cases: int = 3,
    evidence: bool = True,
) -> int:
    """Another resource of provider A, with `cases` cases and (if asked) a patent."""
    now = at(2025, 10, 21)
    with sessions() as s:
        resource = resources.create_resource(
            session=s,
            actor=w.provider_a,
            now=now,
            organisation_id=w.base.organisation_id,
            data=resource_input(code=code),
        )
        for i in range(cases):
            resources.add_case(
                session=s,
                actor=w.provider_a,
                now=now,
                resource_id=resource.id,
                data=case_input(i + 1),
            )
        if evidence:
            add_evidence(
                session=s,
                actor=w.provider_a,
                now=now,
                store=w.store,
                organisation_id=w.base.organisation_id,
                resource_id=resource.id,
                data=PATENT,
                upload=upload(f"patent-{code}.pdf"),
            )
        s.commit()
        return resource.id


def start(sessions: sessionmaker[Session], w: ApiWorld, resource_id: int) -> int:
    """A draft application of provider A's resource in batch 2025Q4."""
    with sessions() as s:
        application = submissions.start_application(
            session=s,
            actor=w.provider_a,
            now=at(2025, 10, 22),
            resource_id=resource_id,
            batch_code="2025Q4",
        )
        s.commit()
        return application.id
