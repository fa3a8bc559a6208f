"""What the authorisation matrix runs: the callers, the expected allows route by route, the
request each route gets, and the world it runs in (see `test_matrix.py`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import PanelDecision
from registry.models import EvidenceDocument, Objection
from registry.models.events import EventType
from registry.services import event_shortlists, events, publicity
from registry.storage import FileStore
from registry.uscc import make_uscc
from tests.api.lifecycle_world import REPORT as LIFECYCLE_REPORT
from tests.api.lifecycle_world import matrix_objects
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
from tests.db.factories import PASSWORD, at

CALLERS = {
    "anonymous": None,
    "provider_a": "provider-1",
    "provider_b": "provider-2",
    "reviewer_x": "gz-reviewer",
    "reviewer_y": "sz-reviewer",
    "expert_assigned": "expert-technical",
    "expert_unassigned": "expert-free",
    "staff": "staff",
    "organiser": "organiser",
    "admin": "admin",
    "relevance_staff": "relevance",
}
EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
PROVIDERS = frozenset({"provider_a", "provider_b"})
REVIEWERS = frozenset({"reviewer_x", "reviewer_y"})
EXPERTS = frozenset({"expert_assigned", "expert_unassigned"})

# Who gets through, route by route (role gate of the table AND the registry's scope checks).
EXPECTED: dict[str, AbstractSet[str]] = {
    "health": EVERYONE,
    "ready": EVERYONE,
    "library.list": EVERYONE,
    "library.detail": EVERYONE,
    "batches.list": EVERYONE,
    "publicity.list": EVERYONE,
    "auth.token": EVERYONE,
    "auth.csrf": EVERYONE,
    "session.login": EVERYONE,
    "session.logout": EVERYONE,
    "auth.me": SIGNED_IN,
    "provider.register": frozenset({"anonymous", "staff", "admin"}) | PROVIDERS,
    "provider.organisation": PROVIDERS,
    "provider.resources.list": PROVIDERS,
    "provider.resources.create": PROVIDERS,
    "provider.resources.get": {"provider_a"},
    "provider.resources.update": {"provider_a"},
    "provider.cases.create": {"provider_a"},
    "provider.evidence.list": PROVIDERS,
    "provider.evidence.upload": {"provider_a"},
    "provider.applications.list": PROVIDERS,
    "provider.applications.start": {"provider_a"},
    "provider.applications.get": {"provider_a"},
    "provider.applications.submit": {"provider_a"},
    "provider.applications.resubmit": {"provider_a"},
    "provider.notifications": PROVIDERS,
    "city.queue": REVIEWERS,
    "city.applications.list": REVIEWERS,
    "city.overdue": REVIEWERS,
    "city.applications.get": {"reviewer_x"},
    "city.decide": {"reviewer_x"},
    "city.evidence": {"reviewer_x"},
    "expert.applications.list": EXPERTS,
    "expert.conflicts.declare": EXPERTS,
    "expert.applications.get": {"expert_assigned"},
    "expert.score": {"expert_assigned"},
    "expert.evidence": {"expert_assigned"},
    "province.audit": frozenset({"staff", "admin"}),
    "admin.users.list": {"admin"},
    "admin.users.create": {"admin"},
    # the annual catalog (public); events (the organiser's own, staff all); relevance dashboard
    "catalog.list": EVERYONE,
    "catalog.xlsx": EVERYONE,
    "page.catalog": EVERYONE,
}
EXPECTED |= {
    name: frozenset({"organiser", "staff"})
    for name in (
        "events.list",
        "events.create",
        "events.get",
        "events.needs.add",
        "events.needs.remove",
        "events.shortlist.compute",
        "events.shortlist",
        "events.items.add",
        "events.items.reorder",
        "events.items.annotate",
        "events.items.remove",
        "events.export",
        "page.events",
        "page.events.create",
        "page.event",
        "page.event.need_add",
        "page.event.need_remove",
        "page.event.shortlist",
        "page.event.items",
    )
}
EXPECTED |= {
    name: frozenset({"relevance_staff", "admin"})
    for name in (
        "relevance.needs",
        "relevance.results",
        "relevance.judgments.record",
        "relevance.judgments.list",
        "relevance.judgments.remove",
        "relevance.qrels",
        "relevance.report",
        "relevance.report.file",
        "page.relevance",
        "page.relevance.judge",
        "page.relevance.report",
    )
}
# After certification (Art.18, 19, 21), complaints (Art.23), public objections (Art.15). A
# complaint not assigned to a municipal reviewer is answered 404 (hidden, as if absent) by the
# registry, not 403: `reviewer_y` passes the role gate there and meets that 404.
EXPECTED |= {
    "provider.library.list": PROVIDERS,
    "provider.annual_reports.list": PROVIDERS,
    "provider.warnings.list": PROVIDERS,
    "provider.withdrawals.list": PROVIDERS,
    "provider.annual_reports.file": {"provider_a"},
    "provider.warnings.get": {"provider_a"},
    "provider.warnings.rectify": {"provider_a"},
    "provider.withdrawals.request": {"provider_a"},
    "provider.withdrawals.get": {"provider_a"},
    "provider.withdrawals.cancel": {"provider_a"},
    "city.withdrawals.list": REVIEWERS,
    "city.withdrawals.get": {"reviewer_x"},
    "city.withdrawals.forward": {"reviewer_x"},
    "complaints.file": EVERYONE,
    "complaints.follow_up": EVERYONE,
    "publicity.objections.raise": EVERYONE,
    "objections.follow_up": EVERYONE,
    "complaints.list": frozenset({"staff"}) | REVIEWERS,
    "complaints.get": frozenset({"staff"}) | REVIEWERS,
    "complaints.notes.add": frozenset({"staff"}) | REVIEWERS,
    "complaints.close": frozenset({"staff"}) | REVIEWERS,
    "page.lifecycle.provider": PROVIDERS,
    "page.lifecycle.report_form": {"provider_a"},
    "page.lifecycle.report_file": {"provider_a"},
    "page.lifecycle.warning": {"provider_a"},
    "page.lifecycle.rectify": {"provider_a"},
    "page.lifecycle.withdrawal_form": {"provider_a"},
    "page.lifecycle.withdrawal_request": {"provider_a"},
    "page.lifecycle.withdrawal_cancel": {"provider_a"},
    "page.lifecycle.city": REVIEWERS,
    "page.lifecycle.city_forward": {"reviewer_x"},
    "page.complaints.form": EVERYONE,
    "page.complaints.file": EVERYONE,
    "page.complaints.follow_up": EVERYONE,
    "page.complaints.follow_up_check": EVERYONE,
    "page.complaints.publicity": EVERYONE,
    "page.complaints.object": EVERYONE,
    "page.complaints.objection_follow_up": EVERYONE,
    "page.complaints.objection_check": EVERYONE,
    "page.complaints.staff": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.detail": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.act": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.assign": {"staff"},
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "page.lifecycle.province",
        "page.lifecycle.province_entry",
        "page.lifecycle.province_warning",
        "page.lifecycle.removal_preview",
        "page.lifecycle.annual_reports",
        "page.lifecycle.warn",
        "page.lifecycle.priority",
        "page.lifecycle.warning_decide",
        "page.lifecycle.withdrawal_decide",
        "page.lifecycle.remove",
        "page.lifecycle.referral_sent",
    )
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "province.library.list",
        "province.warnings.create",
        "province.warnings.list",
        "province.warnings.get",
        "province.warnings.close",
        "province.warnings.remove",
        "province.withdrawals.list",
        "province.withdrawals.get",
        "province.withdrawals.approve",
        "province.withdrawals.refuse",
        "province.removals.preview",
        "province.removals.create",
        "province.referrals.list",
        "province.referrals.sent",
        "province.annual_reports.list",
        "province.flags.list",
        "complaints.assignees",
        "complaints.assign",
    )
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "province.batches.create",
        "province.applications.list",
        "province.applications.get",
        "province.evidence",
        "province.waiver",
        "province.experts.list",
        "province.panel.assign",
        "province.panel.report",
        "province.publicity.start",
        "province.objections.list",
        "province.objections.raise",
        "province.objections.decide",
        "province.certify",
        "province.direct_entry.verify",
        "province.reject",
        "province.void",
        "province.organisations.get",
        "province.bans.create",
        "province.accidents.create",
        "province.violations.create",
        "province.priority",
        "province.overdue",
    )
}


@dataclass(frozen=True)
class Ids:
    """The objects the requests point at."""

    application: int  # A's, in expert review with a panel
    resource: int  # A's
    evidence: int  # A's patent
    organisation: int  # A's
    other_organisation: int  # B's
    objection: int  # pending, on A's application in publicity
    library_code: str  # A's resource in the library
    free_expert: int
    event: int  # the organiser's, with one need whose shortlist holds `library_code`
    need: int
    warning: int  # open, on `library_code`
    withdrawal: int  # `library_code`'s, waiting for 广州 to forward it
    complaint: int  # about `library_code`, assigned to 广州's reviewer


Spec = Callable[[Ids], dict[str, Any]]


def no_body(ids: Ids) -> dict[str, Any]:
    """The request of a route that takes no body."""
    return {}


RESOURCE = {
    "title": "矩阵测试资源",
    "directions": ["制造生产"],
    "form": "核心技术",
    "industries": ["C29"],
    "summary": "s",
    "advantages": "a",
    "indicators": "i",
    "scenarios": "c",
}
CASE = {
    "title": "t",
    "client": "c",
    "client_city": "佛山市",
    "client_industry": "C29",
    "started_on": "2024-01-01",
    "completed_on": "2024-06-01",
    "implementation": "i",
    "results": "r",
    "feedback": "f",
    "feedback_on": "2025-05-01",
}
ORG = {
    "uscc": make_uscc("91440100MA59MATRX"),
    "name": "矩阵测试公司",
    "org_type": "企业",
    "scale": "小型",
    "city": "广州市",
    "address": "a",
    "guangdong_operations": "g",
    "established_on": "2018-01-01",
    "business_since": "2018-01-01",
    "employees": 10,
    "contact_name": "n",
    "contact_phone": "p",
    "contact_email": "a@b.cn",
}
FILE = {"file": ("m.pdf", b"%PDF matrix", "application/pdf")}
COMPLAINT_FORM = {"subject": "process", "title": "t", "content": "c"}
REPORT_FORM = {name: str(value) for name, value in LIFECYCLE_REPORT.items()}

# The request of each route: path parameters (by name) and body.
REQUESTS: dict[str, Spec] = {
    "auth.token": lambda i: {"data": {"username": "staff", "password": PASSWORD}},
    "session.login": lambda i: {"data": {"username": "staff", "password": PASSWORD}},
    "session.logout": lambda i: {"data": {}},
    "provider.register": lambda i: {
        "data": {"data": json.dumps(ORG)},
        "files": {"licence": ("l.pdf", b"%PDF licence", "application/pdf")},
    },
    "provider.resources.create": lambda i: {"json": RESOURCE | {"code": "MX-1"}},
    "provider.resources.update": lambda i: {"json": RESOURCE},
    "provider.cases.create": lambda i: {"json": CASE},
    "provider.evidence.upload": lambda i: {
        "data": {
            "kind": "检验检测报告",
            "title": "t",
            "issued_on": "2025-06-01",
            "resource_id": str(i.resource),
        },
        "files": FILE,
    },
    "provider.applications.start": lambda i: {
        "json": {"resource_id": i.resource, "batch_code": "2025Q4"}
    },
    "provider.applications.submit": lambda i: {"json": {"commitment_signed": True}},
    "provider.applications.resubmit": lambda i: {"json": {}},
    "city.decide": lambda i: {"json": {"decision": "recommend", "reasons": "同意"}},
    "expert.score": lambda i: {
        "json": {"advancement": 80, "maturity": 80, "application_effect": 80, "promotion_value": 80}
    },
    "expert.conflicts.declare": lambda i: {
        "json": {"organisation_id": i.other_organisation, "reason": "合作"}
    },
    "province.batches.create": lambda i: {
        "json": {
            "code": "2026Q3",
            "title": "t",
            "opens_on": "2026-07-01",
            "deadline_on": "2026-08-28",
        }
    },
    "province.waiver": lambda i: {"json": {"reason": "r"}},
    "province.panel.assign": lambda i: {"json": {"expert_ids": [i.free_expert]}},
    "province.panel.report": lambda i: {"json": {"decision": "propose", "summary": "s"}},
    "province.publicity.start": lambda i: {"json": {}},
    "province.objections.raise": lambda i: {"json": {"raised_by": "某人", "content": "c"}},
    "province.objections.decide": lambda i: {"json": {"upheld": False, "reason": "r"}},
    "province.certify": lambda i: {"json": {}},
    "province.direct_entry.verify": lambda i: {"json": {}},
    "province.reject": lambda i: {"json": {"reason": "r"}},
    "province.void": lambda i: {"json": {"reason": "r"}},
    "province.bans.create": lambda i: {"json": {"reason": "r", "article": "Art.21"}},
    "province.accidents.create": lambda i: {
        "json": {
            "occurred_on": "2025-01-01",
            "kind": "安全生产",
            "severity": "一般",
            "description": "d",
        }
    },
    "province.violations.create": lambda i: {
        "json": {"occurred_on": "2025-01-01", "major": False, "description": "d"}
    },
    "province.priority": lambda i: {"json": {"priority": True}},
    "events.create": lambda i: {
        "json": {"title": "t", "event_type": "供需对接会", "held_on": "2026-03-01",
                 "city": "佛山市"}
    },
    "events.needs.add": lambda i: {"json": {"company": "c", "text": "机器视觉检测"}},
    "events.needs.remove": no_body,
    # k = 0 is refused before the index is asked: the matrix world serves none (503).
    "events.shortlist.compute": lambda i: {"json": {"k": 0}},
    "events.shortlist": lambda i: {"params": {"k": 0}},
    "events.items.add": lambda i: {"json": {"resource_code": i.library_code}},
    "events.items.reorder": lambda i: {"json": {"codes": [i.library_code]}},
    "events.items.annotate": lambda i: {"json": {"note": "n"}},
    "events.items.remove": no_body,
    "relevance.judgments.record": lambda i: {
        "json": {"query_text": "机器视觉检测", "resource_code": i.library_code, "grade": 2}
    },
    "relevance.judgments.remove": no_body,
    "page.events.create": lambda i: {
        "data": {"title": "t", "event_type": "供需对接会", "held_on": "2026-03-01",
                 "city": "佛山市"}
    },
    "page.event.need_add": lambda i: {"data": {"company": "c", "text": "机器视觉检测"}},
    "page.event.need_remove": lambda i: {"data": {}},
    "page.event.shortlist": lambda i: {"data": {"k": "0"}},  # refused before the index
    "page.event.items": lambda i: {
        "data": {"action": "note", "resource_code": i.library_code, "note": "n"}
    },
    "page.relevance.judge": lambda i: {
        "data": {"query_text": "机器视觉检测", "resource_code": i.library_code, "grade": "2"}
    },
    "provider.annual_reports.file": lambda i: {"json": LIFECYCLE_REPORT},
    "provider.warnings.rectify": lambda i: {"json": {"rectification": "r"}},
    "provider.withdrawals.request": lambda i: {
        "json": {"resource_code": i.library_code, "reason": "r"}
    },
    "provider.withdrawals.cancel": no_body,
    "city.withdrawals.forward": lambda i: {"json": {"opinion": "o"}},
    "province.warnings.create": lambda i: {"json": {"reasons": ["poor_feedback"], "detail": "d"}},
    "province.warnings.close": lambda i: {"json": {"note": "n"}},
    "province.warnings.remove": lambda i: {"json": {"note": "n"}},
    "province.withdrawals.approve": lambda i: {"json": {"note": "n"}},
    "province.withdrawals.refuse": lambda i: {"json": {"note": "n"}},
    "province.removals.preview": lambda i: {"params": {"ground": "major_accident"}},
    "province.removals.create": lambda i: {"json": {"ground": "major_accident", "reason": "r"}},
    "province.referrals.sent": lambda i: {"json": {"reference": "r"}},
    "complaints.file": lambda i: {"json": {"subject": "process", "title": "t", "content": "c"}},
    "complaints.follow_up": lambda i: {"json": {"token": "x" * 32}},
    "publicity.objections.raise": lambda i: {"json": {"name": "n", "contact": "c", "content": "c"}},
    "objections.follow_up": lambda i: {"json": {"token": "x" * 32}},
    "complaints.assign": lambda i: {"json": {"assignee_user_id": 1}},
    "complaints.notes.add": lambda i: {"json": {"text": "t"}},
    "complaints.close": lambda i: {"json": {"result": "r"}},
    "page.lifecycle.report_file": lambda i: {"data": REPORT_FORM},
    "page.lifecycle.rectify": lambda i: {"data": {"rectification": "r"}},
    "page.lifecycle.withdrawal_request": lambda i: {"data": {"reason": "r"}},
    "page.lifecycle.withdrawal_cancel": lambda i: {"data": {}},
    "page.lifecycle.city_forward": lambda i: {"data": {"opinion": "o"}},
    "page.lifecycle.warn": lambda i: {"data": {"reasons": "poor_feedback", "detail": "d"}},
    "page.lifecycle.priority": lambda i: {"data": {"priority": "true"}},
    "page.lifecycle.warning_decide": lambda i: {"data": {"decision": "close", "note": "n"}},
    "page.lifecycle.withdrawal_decide": lambda i: {"data": {"decision": "approve", "note": "n"}},
    "page.lifecycle.remove": lambda i: {"data": {"ground": "major_accident", "reason": "r"}},
    "page.lifecycle.referral_sent": lambda i: {"data": {"reference": "r"}},
    "page.complaints.file": lambda i: {"data": COMPLAINT_FORM},
    "page.complaints.follow_up_check": lambda i: {"data": {"token": "x" * 32}},
    "page.complaints.object": lambda i: {"data": {"name": "n", "contact": "c", "content": "c"}},
    "page.complaints.objection_check": lambda i: {"data": {"token": "x" * 32}},
    "page.complaints.assign": lambda i: {"data": {"assignee_user_id": "1"}},
    "page.complaints.act": lambda i: {"data": {"action": "note", "text": "t"}},
    "admin.users.create": lambda i: {
        "json": {
            "username": "matrix-user",
            "password": "a-long-password",
            "display_name": "m",
            "role": "organiser",
        }
    },
}


def path_for(template: str, ids: Ids) -> str:
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
        referral_id=1,  # none exists: staff meet a 404, everyone else the role gate
        file_path="plots/metrics.png",
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
    """The matrix world (see `test_matrix.py`), committed; what the requests point at."""
    with sessions() as s:
        w = build_api_world(s, store)
    to_expert_review(sessions, w)  # A's first application, panel assigned, no scores yet
    to_municipal_review(sessions, w, w.application_b)
    objection_id = _in_publicity_with_objection(sessions, w)
    to_library(sessions, w, start(sessions, w, new_resource(sessions, w, "AI-302")))
    with sessions() as s:
        patent = s.scalar(
            select(EvidenceDocument.id).where(EvidenceDocument.resource_id == w.base.resource_id)
        )
        assert patent is not None and s.get(Objection, objection_id) is not None
    event, need = _event_with_shortlist(sessions, w, "AI-302")
    warning, withdrawal, complaint = matrix_objects(sessions, w, "AI-302")
    return Ids(
        application=w.application_a,
        resource=w.base.resource_id,
        evidence=patent,
        organisation=w.base.organisation_id,
        other_organisation=w.organisation_b,
        objection=objection_id,
        library_code="AI-302",
        free_expert=w.expert_free.expert_id or 0,
        event=event,
        need=need,
        warning=warning,
        withdrawal=withdrawal,
        complaint=complaint,
    )
