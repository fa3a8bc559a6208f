"""The request each route of the authorisation matrix gets (see `test_matrix.py`): path
parameters come from `matrix_world.path_for`, bodies from here. The same request goes to every
caller, so the ids point at provider A's objects, 广州's, and the assigned expert's.

Page forms get the caller's CSRF token added by the matrix run (as a browser's form carries it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from registry.uscc import make_uscc
from tests.api.lifecycle_world import REPORT as LIFECYCLE_REPORT
from tests.api.matrix_world import Ids
from tests.db.factories import PASSWORD

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
NEED = "机器视觉检测"
# The registration page: the API's organisation as form fields, the Art.4 declarations ticked.
REGISTER_FORM = {name: str(value) for name, value in ORG.items()} | {
    "uscc": make_uscc("91440100MA59MATRY"),
    "independent_legal_person": "true",
    "facilities_and_team": "true",
    "sound_finance": "true",
    "revenue_2024": "3000000",
}
SCORE_FORM = {"advancement": "80", "maturity": "80", "application_effect": "80",
              "promotion_value": "80"}  # fmt: skip
BATCH = {"code": "2026Q3", "title": "t", "opens_on": "2026-07-01", "deadline_on": "2026-08-28"}
EVIDENCE_FORM = {"kind": "检验检测报告", "title": "t", "issued_on": "2025-06-01"}

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
    "province.batches.create": lambda i: {"json": BATCH},
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
        "json": {
            "title": "t",
            "event_type": "供需对接会",
            "held_on": "2026-03-01",
            "city": "佛山市",
        }
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
        "data": {
            "title": "t",
            "event_type": "供需对接会",
            "held_on": "2026-03-01",
            "city": "佛山市",
        }
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
    "provider.entry_changes.create": lambda i: {"json": {"advantages": "新", "explanation": "e"}},
    "provider.entry_changes.withdraw": no_body,
    "province.entry_changes.approve": lambda i: {"json": {}},
    "province.entry_changes.reject": lambda i: {"json": {"reason": "r"}},
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
    "page.lifecycle.change_request": lambda i: {"data": {"summary": "新", "explanation": "e"}},
    "page.lifecycle.change_withdraw": lambda i: {"data": {}},
    "page.lifecycle.change_decide": lambda i: {"data": {"decision": "approve"}},
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
# The need search (on the matrix's keyword index) and the web pages' forms (the CSRF token is
# added by the matrix run).
REQUESTS |= {
    "match": lambda i: {"json": {"need": NEED, "k": 5}},
    "page.home": lambda i: {"params": {"need": NEED}},
    "page.search": lambda i: {"data": {"need": NEED}},
    "page.register_submit": lambda i: {
        "data": REGISTER_FORM,
        "files": {"licence": ("l.pdf", b"%PDF licence", "application/pdf")},
    },
    "page.provider.resource_create": lambda i: {"data": RESOURCE | {"code": "MX-2"}},
    "page.provider.resource_update": lambda i: {"data": RESOURCE},
    "page.provider.case_create": lambda i: {"data": CASE},
    "page.provider.evidence_upload": lambda i: {"data": EVIDENCE_FORM, "files": FILE},
    "page.provider.application_start": lambda i: {
        "data": {"resource_id": str(i.resource), "batch_code": "2025Q4", "route": "municipal"}
    },
    "page.provider.application_submit": lambda i: {"data": {"commitment": "1"}},
    "page.provider.application_resubmit": lambda i: {"data": {}},
    "page.city.decide": lambda i: {"data": {"decision": "recommend", "reasons": "同意"}},
    "page.expert.score": lambda i: {"data": SCORE_FORM},
    "page.province.act": lambda i: {"data": {"expert_ids": [str(i.free_expert)]}},
    "page.province.batch_create": lambda i: {"data": BATCH},
}
