"""The review desks through their forms: the city's own queue and opinion, the assigned
expert's scores, the province's panel, publicity and certification — after which the need
search finds the resource through the live index."""

from __future__ import annotations

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from api.deps import current_time
from tests.pages.conftest import post_form, sign_in
from tests.pages.library_world import LibraryApp

SHANGHAI = ZoneInfo("Asia/Shanghai")


def app_id(world: LibraryApp, code: str) -> int:
    from sqlalchemy import select

    from registry.models.applications import Application
    from registry.models.resources import Resource

    with world.sessions() as session:
        found = session.scalar(select(Application.id).join(Resource).where(Resource.code == code))
    assert found is not None
    return found


def test_the_city_sees_its_own_queue_only(world: LibraryApp, client: TestClient) -> None:
    queue = sign_in(client, "dongguan-reviewer").text
    assert "FX-005" in queue and "锂电池极片视觉检测设备" in queue
    assert "FX-006" not in queue  # a Guangzhou application
    other = client.get(f"/review/city/applications/{app_id(world, 'FX-006')}")
    assert other.status_code in (403, 404) and other.headers["content-type"].startswith("text/html")


def test_the_city_opinion_needs_reasons_then_moves_on(fresh: LibraryApp) -> None:
    client, url = fresh.client, f"/review/city/applications/{app_id(fresh, 'FX-005')}"
    sign_in(client, "dongguan-reviewer")
    page = client.get(url).text
    assert "初审意见（第十三条）" in page and "锂电池极片缺陷检测方法" in page  # evidence listed
    refused = post_form(client, url, f"{url}/decision", {"decision": "recommend", "reasons": ""})
    assert refused.status_code == 422 and "此项为必填" in refused.text
    done = post_form(
        client, url, f"{url}/decision", {"decision": "recommend", "reasons": "材料齐全，同意推荐"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/review/city"  # fmt: skip
    assert "FX-005" not in client.get("/review/city").text.split("本市其他申报")[0]


def test_the_expert_scores_only_what_is_assigned(world: LibraryApp, client: TestClient) -> None:
    url = f"/review/expert/applications/{app_id(world, 'FX-007')}"
    listing = sign_in(client, "expert-ind-1").text
    assert "FX-007" in listing
    out_of_range = post_form(
        client,
        url,
        f"{url}/score",
        {"advancement": 101, "maturity": 80, "application_effect": 80, "promotion_value": 80},
    )
    assert out_of_range.status_code == 422 and "不能大于 100" in out_of_range.text  # fmt: skip
    saved = post_form(client, url, f"{url}/score", {
        "advancement": 85, "maturity": 80, "application_effect": 82, "promotion_value": 84,
        "comment": "技术成熟"})  # fmt: skip
    assert saved.status_code == 303
    assert "平均 82.8 分" in client.get(url).text

    other = TestClient(world.app, base_url="http://testserver")
    sign_in(other, "expert-tech-1")  # not on this panel
    assert other.get(url).status_code in (403, 404)


def test_the_province_certifies_and_the_search_finds_it(fresh: LibraryApp) -> None:
    client = fresh.client
    during = datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)  # FX-008's publicity ends 11-09
    fresh.app.dependency_overrides[current_time] = lambda: during
    desk = sign_in(client, "province-staff").text
    assert "逾期未办结的环节" in desk and "2026Q4" in desk
    url = f"/review/province/applications/{app_id(fresh, 'FX-008')}"
    page = client.get(url).text
    assert "公示与异议" in page and "期满且无未决异议后方可认定" in page
    early = post_form(client, url, f"{url}/certify", {})
    assert early.status_code == 409 and "公示期至" in early.text and "第十五条" in early.text

    fresh.app.dependency_overrides[current_time] = lambda: datetime(
        2026, 12, 1, 10, tzinfo=SHANGHAI
    )
    sign_in(client, "province-staff")
    certified = post_form(client, url, f"{url}/certify", {})
    assert certified.status_code == 303
    assert "已认定入库" in client.get(url).text

    started, found = time.perf_counter(), False
    while time.perf_counter() - started < 2.0 and not found:
        found = (
            "/library/FX-008" in client.get("/", params={"need": "工业园区屋顶光伏储能微电网"}).text
        )
        time.sleep(0.05)
    assert found, "the certified resource is not found within 2 s"


def test_the_province_assigns_a_panel_refusing_conflicts(fresh: LibraryApp) -> None:
    client = fresh.client
    sign_in(client, "province-staff")
    url = f"/review/province/applications/{app_id(fresh, 'FX-007')}"
    page = client.get(url).text
    free = re.findall(r'name="expert_ids" value="(\d+)">', page)  # not disabled
    assert free, "no expert can be added"
    added = post_form(client, url, f"{url}/panel", {"expert_ids": free[:1]})
    assert added.status_code == 303
    assert "评审专家已分配" in client.get(url).text


def test_the_audit_log_lists_and_filters(world: LibraryApp, client: TestClient) -> None:
    page = sign_in(client, "province-staff", next="/review/province/audit")
    assert page.url.path == "/review/province/audit" and "共 " in page.text
    rows = int(re.search(r"共 (\d+) 条", page.text).group(1))  # type: ignore[union-attr]
    assert rows > 0
    filtered = client.get("/review/province/audit", params={"object_type": "no-such"}).text
    assert "共 0 条" in filtered and "没有符合条件的记录" in filtered
