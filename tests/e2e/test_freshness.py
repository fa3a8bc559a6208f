"""With the server running, the live index follows the registry: a resource certified through
the API is findable, and after its organisation is removed (Art.19(2)) it is gone, each within
2 seconds of the registry event. Deadline loops: the assertion is the behaviour."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DEMO_PASSWORD, SHANGHAI, START, Server

pytestmark = pytest.mark.e2e

PROVIDER = "mf-sz-lingxun"  # another Shenzhen provider than the browser workflow's
EXPERTS = ("刘晓燕", "林慧", "何永康")  # technical, industry management, financial
NEED = "印染厂废水COD经常超标，想做在线水质监测和智能加药控制"
DEADLINE_SECONDS = 2.0
RESOURCE = {
    "title": "印染废水在线水质监测与智能加药控制系统",
    "directions": ["制造生产"],
    "form": "集成服务方案",
    "industries": ["C17"],
    "summary": "在印染废水处理站布设COD、氨氮、pH在线监测仪，按水质与水量模型自动调节加药泵，"
    "稳定达标排放并减少药剂浪费。",
    "advantages": "监测与加药闭环控制，药剂用量按实时水质计算。",
    "indicators": "出水COD达标率99.8%；药剂用量下降22%。",
    "scenarios": "纺织印染、染整企业的废水处理站。",
    "keywords": ["印染废水", "在线监测", "智能加药"],
}


def case(i: int) -> dict[str, str]:
    return {
        "title": f"印染企业废水站智能加药改造{i}",
        "client": f"汕头市某印染有限公司{i}",
        "client_city": "汕头市",
        "client_industry": "C17",
        "started_on": "2025-12-01",
        "completed_on": "2026-04-30",
        "implementation": "布设在线监测仪，改造加药泵为变频闭环控制。",
        "results": f"出水COD稳定达标，药剂用量下降{20 + i}%。",
        "feedback": "运行稳定，环保检查无超标。",
        "feedback_on": "2026-07-01",
    }


class Api:
    """JSON calls as named users (a fresh token each time: the clock moves)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def headers(self, username: str) -> dict[str, str]:
        answer = self.client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def call(self, method: str, path: str, user: str, **kwargs: Any) -> Any:
        answer = self.client.request(method, f"/api/v1{path}", headers=self.headers(user), **kwargs)
        assert answer.status_code in (200, 201), (path, answer.text)
        return answer.json()


def found_codes(client: httpx.Client) -> set[str]:
    answer = client.post("/api/v1/match", json={"need": NEED, "k": 20})
    assert answer.status_code == 200, answer.text
    return {r["code"] for r in answer.json()["results"]}


def seconds_until(check: Callable[[], bool]) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < DEADLINE_SECONDS:
        if check():
            return time.perf_counter() - started
        time.sleep(0.05)
    raise AssertionError(f"not true within {DEADLINE_SECONDS} s")


def to_publicity(api: Api) -> tuple[int, str]:
    """A new resource applied for, recommended, scored, proposed and in publicity."""
    resource = api.call("POST", "/provider/resources", PROVIDER, json=RESOURCE)
    for i in (1, 2, 3):
        api.call("POST", f"/provider/resources/{resource['id']}/cases", PROVIDER, json=case(i))
    api.call("POST", "/provider/evidence", PROVIDER,
             data={"kind": "发明专利", "title": "一种印染废水智能加药控制方法",
                   "number": "ZL202410000099.7", "issued_on": "2025-09-09",
                   "resource_id": str(resource["id"])},
             files={"file": ("patent.pdf", b"%PDF-1.4 patent", "application/pdf")})  # fmt: skip
    app = api.call("POST", "/provider/applications", PROVIDER,
                   json={"resource_id": resource["id"], "batch_code": "2026Q4"})  # fmt: skip
    path = f"/applications/{app['id']}"
    api.call("POST", f"/provider{path}/submit", PROVIDER, json={"commitment_signed": True})
    api.call("POST", f"/city{path}/decision", "shenzhen-reviewer",
             json={"decision": "recommend", "reasons": "材料齐全，同意推荐"})  # fmt: skip
    pool = api.call("GET", f"/province/experts?application_id={app['id']}", "province-staff")
    ids = [e["id"] for e in pool if any(e["name"].startswith(n) for n in EXPERTS)]
    assert len(ids) == 3 and not any(e["conflicts"] for e in pool if e["id"] in ids)
    api.call("POST", f"/province{path}/panel/experts", "province-staff", json={"expert_ids": ids})
    for username in ("expert-tech-2", "expert-ind-2", "expert-fin-2"):
        api.call("PUT", f"/expert{path}/score", username,
                 json={"advancement": 85, "maturity": 86, "application_effect": 84,
                       "promotion_value": 83})  # fmt: skip
    api.call("POST", f"/province{path}/panel/report", "province-staff",
             json={"decision": "propose", "summary": "建议认定"})  # fmt: skip
    api.call("POST", f"/province{path}/publicity", "province-staff", json={})
    return app["id"], resource["code"]


def test_certified_is_findable_and_removed_is_gone_within_two_seconds(server: Server) -> None:
    server.set_clock(START)
    with server.api() as client:
        api = Api(client)
        app_id, code = to_publicity(api)
        assert code not in found_codes(client)  # in publicity: not in the library yet

        server.set_clock(datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI))
        api.call("POST", f"/province/applications/{app_id}/certification", "province-staff",
                 json={})  # fmt: skip
        appeared = seconds_until(lambda: code in found_codes(client))

        org = api.call("GET", "/provider/organisation", PROVIDER)
        api.call("POST", f"/province/organisations/{org['id']}/removal", "province-staff",
                 json={"ground": "false_material", "reason": "提供虚假材料（测试）"})  # fmt: skip
        vanished = seconds_until(lambda: code not in found_codes(client))
    print(f"findable after {appeared:.2f} s, gone after {vanished:.2f} s")
