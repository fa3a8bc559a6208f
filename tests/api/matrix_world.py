"""The world the authorisation matrix runs in (see `test_matrix.py`), built once into a template
database, and the ids its requests point at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import PanelDecision
from registry.models import EvidenceDocument, Objection
from registry.models.events import EventType
from registry.services import event_shortlists, events, publicity
from registry.storage import FileStore
from tests.api.lifecycle_world import matrix_change, matrix_objects
from tests.api.world import (
    PUBLICITY_AT,
    ApiWorld,
    assign_panel,
    build_api_world,
    new_resource,
    recommend,
    report,
    score_all,
    start,
    submit,
    to_expert_review,
    to_library,
    to_municipal_review,
)
from tests.db.factories import at

LIBRARY_CODE = "AI-302"  # A's resource certified into the library


@dataclass(frozen=True)
class Ids:
    """The objects the requests point at."""

    application: int  # A's (广州), in expert review with a panel (not `free_expert`)
    resource: int  # A's, the one of `application`
    evidence: int  # A's patent
    organisation: int  # A's
    other_organisation: int  # B's (深圳)
    objection: int  # pending, on A's application in publicity
    library_code: str  # A's resource in the library
    free_expert: int
    event: int  # the organiser's, with one need whose shortlist holds `library_code`
    need: int
    warning: int  # open, on `library_code`
    withdrawal: int  # `library_code`'s, waiting for 广州 to forward it
    complaint: int  # about `library_code`, assigned to 广州's reviewer
    entry_change: int  # A's pending change of `library_code`


def path_for(template: str, ids: Ids) -> str:
    """A route's path with the world's objects in it."""
    return template.format(
        application_id=ids.application,
        resource_id=ids.resource,
        evidence_id=ids.evidence,
        organisation_id=ids.organisation,
        objection_id=ids.objection,
        code=ids.library_code,
        resource_code=ids.library_code,
        event_id=ids.event,
        need_id=ids.need,
        query_id="adhoc-matrix",
        warning_id=ids.warning,
        request_id=ids.withdrawal,
        complaint_id=ids.complaint,
        change_id=ids.entry_change,
        referral_id=1,  # none exists: staff meet a 404, everyone else the role gate
        file_path="plots/metrics.png",
        action="panel",  # the province's page actions: assign the panel
    )


def _in_publicity_with_objection(sessions: sessionmaker[Session], w: ApiWorld) -> int:
    """A's second resource proposed, in publicity, with a pending objection; its id."""
    app_id = start(sessions, w, new_resource(sessions, w, "AI-301"))
    with sessions() as s:
        submit(s, w.provider_a, app_id, at(2025, 11, 3))
        recommend(s, w.base.reviewer, app_id, at(2025, 11, 6))
        assign_panel(s, w, app_id, at(2025, 11, 10))
        score_all(s, w, app_id, at(2025, 11, 11))
        report(s, w, app_id, PanelDecision.PROPOSE)
        publicity.start_publicity(
            session=s, actor=w.base.staff, now=PUBLICITY_AT, application_id=app_id
        )
        objection = publicity.raise_objection(
            session=s,
            actor=w.base.staff,
            now=at(2025, 11, 14),
            application_id=app_id,
            raised_by="某人",
            content="异议",
        )
        s.commit()
        return objection.id


def _event_with_shortlist(
    sessions: sessionmaker[Session], w: ApiWorld, code: str
) -> tuple[int, int]:
    """The organiser's event with one need whose shortlist holds `code`; their ids."""
    now = at(2025, 11, 14)
    data = events.EventInput("矩阵活动", EventType.SUPPLY_DEMAND, date(2026, 3, 1), "佛山市")
    with sessions() as s:
        event = events.create_event(session=s, actor=w.organiser, now=now, data=data)
        need = events.add_need(session=s, actor=w.organiser, now=now, event_id=event.id,
                               data=events.NeedInput("某企业", "机器视觉检测"))  # fmt: skip
        event_shortlists.add_item(session=s, actor=w.organiser, now=now, need_id=need.id,
                                  resource_code=code)  # fmt: skip
        s.commit()
        return event.id, need.id


def build_template(sessions: sessionmaker[Session], store: FileStore) -> Ids:
    """The matrix world, committed; what the requests point at."""
    with sessions() as s:
        w = build_api_world(s, store)
    to_expert_review(sessions, w)  # A's first application, panel assigned, no scores yet
    to_municipal_review(sessions, w, w.application_b)
    objection_id = _in_publicity_with_objection(sessions, w)
    to_library(sessions, w, start(sessions, w, new_resource(sessions, w, LIBRARY_CODE)))
    with sessions() as s:
        patent = s.scalar(
            select(EvidenceDocument.id).where(EvidenceDocument.resource_id == w.base.resource_id)
        )
        assert patent is not None and s.get(Objection, objection_id) is not None
    event, need = _event_with_shortlist(sessions, w, LIBRARY_CODE)
    warning, withdrawal, complaint = matrix_objects(sessions, w, LIBRARY_CODE)
    entry_change = matrix_change(sessions, w, LIBRARY_CODE)
    return Ids(
        application=w.application_a,
        resource=w.base.resource_id,
        evidence=patent,
        organisation=w.base.organisation_id,
        other_organisation=w.organisation_b,
        objection=objection_id,
        library_code=LIBRARY_CODE,
        free_expert=w.expert_free.expert_id or 0,
        event=event,
        need=need,
        warning=warning,
        withdrawal=withdrawal,
        complaint=complaint,
        entry_change=entry_change,
    )
