"""Driving the API the way its users do, for the end-to-end write-path tests: every call as a
named user (a fresh bearer token each time, since days pass) or as an anonymous visitor (with
the page session's CSRF token), asserting the status it must get."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from registry.seed_schema import Route
from tests.api.conftest import Clock, Tokens
from tests.db.factories import uscc

V1 = "/api/v1"
PDF = "application/pdf"
ORG = {
    "uscc": uscc(41),
    "name": "广州全流程科技有限公司",
    "org_type": "企业",
    "scale": "中型",
    "city": "广州市",
    "address": "广州市黄埔区",
    "guangdong_operations": "总部在广州",
    "established_on": "2015-01-01",
    "business_since": "2015-06-01",
    "employees": 150,
    "contact_name": "王工",
    "contact_phone": "020-1",
    "contact_email": "w@example.cn",
    "revenue": [{"year": 2023, "amount_cny": 30000000}, {"year": 2024, "amount_cny": 36000000}],
}
RESOURCE = {
    "title": "产线数字孪生平台",
    "directions": ["人工智能应用", "制造生产"],
    "form": "集成服务方案",
    "industries": ["C34", "C35"],
    "summary": "数字孪生",
    "advantages": "实时仿真",
    "indicators": "延迟 50ms",
    "scenarios": "装备制造",
}
APPLICANT = "flow-provider"


def case(i: int) -> dict[str, str]:
    """An application case for the flow's resource."""
    return {
        "title": f"某装备厂数字孪生{i}",
        "client": f"佛山某装备公司{i}",
        "client_city": "佛山市",
        "client_industry": "C35",
        "started_on": "2024-01-10",
        "completed_on": "2024-07-10",
        "implementation": "建设孪生产线",
        "results": "停机减少 30%",
        "feedback": "很好",
        "feedback_on": "2025-03-01",
    }


@dataclass
class Flow:
    """The client, the users' tokens and the clock of one test."""

    client: TestClient
    tokens: Tokens
    clock: Clock

    def call(
        self, method: str, path: str, user: str | None, status: int = 200, **kwargs: Any
    ) -> Any:
        """Call `path` as `user` (None: an anonymous visitor); the JSON body of the answer."""
        if user is None:
            csrf = self.client.get(f"{V1}/auth/csrf").json()["csrf_token"]
            headers = {"X-CSRF-Token": csrf}
        else:
            headers = self.tokens(user)
        response = self.client.request(method, f"{V1}{path}", headers=headers, **kwargs)
        assert response.status_code == status, (path, response.text)
        return response.json()

    def at(self, moment: Any) -> Flow:
        """Move the clock."""
        self.clock.now = moment
        return self

    def applicant(self) -> int:
        """Register anonymously; an administrator issues the account. The organisation id."""
        org = self.call(
            "POST",
            "/provider/registrations",
            None,
            201,
            data={"data": json.dumps(ORG)},
            files={"licence": ("执照.pdf", b"%PDF licence", PDF)},
        )
        account = {"username": APPLICANT, "password": "flow-password-1", "display_name": "王工"}
        account |= {"role": "provider", "organisation_id": org["id"]}
        self.call("POST", "/admin/users", "admin", 201, json=account)
        signed = self.client.post(
            f"{V1}/auth/token", data={"username": APPLICANT, "password": "flow-password-1"}
        )
        assert signed.status_code == 200
        return int(org["id"])

    def resource(self, code: str) -> int:
        """A resource with three cases, a patent and the yearly audit report."""
        made = self.call(
            "POST", "/provider/resources", APPLICANT, 201, json=RESOURCE | {"code": code}
        )
        for i in (1, 2, 3):
            self.call(
                "POST", f"/provider/resources/{made['id']}/cases", APPLICANT, 201, json=case(i)
            )
        patent = {"kind": "发明专利", "title": "数字孪生建模方法", "issued_on": "2023-03-01"}
        self.evidence(patent | {"resource_id": str(made["id"])}, f"patent-{code}")
        audit = {"kind": "财务审计报告", "title": "2024 年度审计报告", "issued_on": "2025-04-10"}
        self.evidence(audit, f"audit-{code}")
        return int(made["id"])

    def evidence(self, form: dict[str, str], name: str) -> None:
        """Upload one evidence document."""
        files = {"file": (f"{name}.pdf", f"%PDF {name}".encode(), PDF)}
        self.call("POST", "/provider/evidence", APPLICANT, 201, data=form, files=files)

    def application(self, resource_id: int, route: Route = Route.MUNICIPAL, **extra: Any) -> int:
        """A draft application of the resource in batch 2025Q4."""
        body = {"resource_id": resource_id, "batch_code": "2025Q4", "route": route.value}
        draft = self.call("POST", "/provider/applications", APPLICANT, 201, json=body | extra)
        return int(draft["id"])
