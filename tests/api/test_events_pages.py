"""The organiser's pages: sign in to the events, create one, add needs, compute and build the
shortlists through the forms (each with its CSRF token), see errors in Chinese on the page,
and never reach another organiser's event."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_events_world import OTHER_ORGANISER, world
from tests.pages.conftest import csrf_of, sign_in
from tests.pages.library_world import LibraryApp

__all__ = ["world"]

EVENT_FORM: dict[str, Any] = {"title": "江门市五金行业技术交流会", "event_type": "技术交流会",
              "held_on": "2026-12-18", "city": "江门市", "industry_focus": ["C33"]}  # fmt: skip


def visitor(world: LibraryApp, username: str | None = "organiser") -> TestClient:
    client = TestClient(world.app, base_url="http://testserver", raise_server_exceptions=False)
    if username:
        sign_in(client, username)
    return client


def post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get(page))
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def new_event(client: TestClient) -> str:
    created = post(client, "/events", "/events", EVENT_FORM)
    assert created.status_code == 303, created.text
    return str(created.headers["location"])


def order(page: str, need_id: str) -> list[str]:
    """The codes of a need's shortlist as the page lists them."""
    section = page.split(f'id="need-{need_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li class="sl-item[^"]*" data-code="([^"]+)"', section)


def add_need(client: TestClient, event: str, company: str, text: str) -> str:
    added = post(client, event, f"{event}/needs", {"company": company, "text": text})
    assert added.status_code == 303
    page = client.get(event).text
    return str(re.findall(r'id="need-(\d+)"', page)[-1])


def test_the_organiser_s_workspace_is_the_events(world: LibraryApp) -> None:
    client = visitor(world)
    landed = client.get("/workspace")
    assert landed.url.path == "/events" and "供需对接活动" in landed.text


def test_an_event_is_built_through_its_forms(world: LibraryApp) -> None:
    client = visitor(world)
    event = new_event(client)
    page = client.get(event)
    assert "江门市五金行业技术交流会" in page.text and "C33 金属制品业" in page.text
    text = "想通过跨境电商独立站和海外社交媒体拓展海外市场"
    need = add_need(client, event, "江门市某五金厂", text)
    computed = post(client, event, f"{event}/needs/{need}/shortlist",
                    {"mode": "shortlist", "k": "8", "allow_same_provider": "on"})  # fmt: skip
    assert computed.headers["location"] == f"{event}#need-{need}"
    shown = client.get(event)
    assert "候选清单已生成" in shown.text  # the flash message
    assert order(shown.text, need)[:2] == ["FX-003", "FX-006"]
    items = f"{event}/needs/{need}/items"
    post(client, event, items, {"action": "add", "resource_code": "FX-002"})
    post(client, event, items, {"action": "down", "resource_code": "FX-003"})
    post(client, event, items, {"action": "up", "resource_code": "FX-002"})
    post(client, event, items, {"action": "note", "resource_code": "FX-006", "note": "主推"})
    assert order(client.get(event).text, need) == ["FX-006", "FX-002", "FX-003"]
    post(client, event, items, {"action": "order", "codes": ["FX-003", "FX-006", "FX-002"]})
    post(client, event, items, {"action": "remove", "resource_code": "FX-002"})
    final = client.get(event).text
    assert order(final, need) == ["FX-003", "FX-006"] and ">主推</textarea>" in final
    overall = client.get(f"{event}?overall=1")
    assert "全场推荐清单" in overall.text and "FX-003" in overall.text
    post(client, event, f"{event}/needs/{need}/remove", {})
    assert 'id="need-' not in client.get(event).text


@pytest.mark.parametrize(
    ("change", "message"),
    [({"title": ""}, "此项为必填"), ({"city": "澳门"}, "活动举办地应为广东省地级以上市：澳门")],
)
def test_a_refused_event_form_says_why(
    world: LibraryApp, change: dict[str, str], message: str
) -> None:
    refused = post(visitor(world), "/events", "/events", EVENT_FORM | change)
    assert refused.status_code == 422 and message in refused.text
    assert "活动未能创建" in refused.text


def test_builder_errors_show_on_the_page(world: LibraryApp) -> None:
    client = visitor(world)
    event = new_event(client)
    need = add_need(client, event, "江门市某五金厂", "上线MES做生产排程")
    items = f"{event}/needs/{need}/items"
    missing = post(client, event, items, {"action": "add", "resource_code": "FX-007"})
    assert missing.status_code == 422 and "以下资源不在资源库中：FX-007" in missing.text
    post(client, event, items, {"action": "add", "resource_code": "FX-002"})
    twice = post(client, event, items, {"action": "add", "resource_code": "FX-002"})
    assert twice.status_code == 409 and "FX-002 已在该需求的候选清单中" in twice.text
    odd = post(client, event, f"{event}/needs/{need}/shortlist", {"k": "99"})
    assert odd.status_code == 422 and "不能大于 30" in odd.text
    empty = post(client, event, f"{event}/needs", {"company": "某厂"})
    assert empty.status_code == 422 and "需求未能添加" in empty.text


def test_forms_need_the_csrf_token(world: LibraryApp) -> None:
    client = visitor(world)
    refused = client.post("/events", data=EVENT_FORM, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text


def test_another_organiser_and_other_roles_are_kept_out(world: LibraryApp) -> None:
    event = new_event(visitor(world))
    other = visitor(world, OTHER_ORGANISER)
    assert other.get(event).status_code == 404
    assert event not in other.get("/events").text
    token = csrf_of(other.get("/events"))
    need_post = other.post(f"{event}/needs", data={"company": "c", "text": "t",
                                                   "csrf_token": token})  # fmt: skip
    assert need_post.status_code == 404 and "对接活动不存在" in need_post.text
    provider = visitor(world, "fx-mingshi")
    assert provider.get("/events").status_code == 403
    anonymous = visitor(world, None).get(event)
    assert anonymous.status_code == 401 and 'action="/login"' in anonymous.text


CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


def check_markup(html: str, where: str) -> None:
    """The markup rules of `tests/pages/test_markup.py`: unique ids, every control labelled,
    every posting form with its CSRF token."""
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == [], f"duplicate ids on {where}"
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    for _, attributes in CONTROL.findall(html):
        if re.search(r'type="(hidden|checkbox|radio|submit)"', attributes):
            continue
        found = re.search(r'\sid="([^"]+)"', attributes)
        assert found and found.group(1) in labelled, f"unlabelled control on {where}: {attributes}"
    for form in re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S):
        assert 'name="csrf_token"' in form, f"a form without its CSRF token on {where}"


def test_the_pages_markup(world: LibraryApp) -> None:
    client = visitor(world)
    event = new_event(client)
    vision = add_need(client, event, "甲厂", "想用机器视觉做注塑件外观缺陷检测")
    bundle = add_need(client, event, "乙厂", "想用机器视觉做缺陷检测，同时上线MES")
    post(client, event, f"{event}/needs/{vision}/shortlist", {"allow_same_provider": "on"})
    post(client, event, f"{event}/needs/{bundle}/shortlist", {"mode": "bundle"})
    judge = visitor(world, "relevance")
    pages = [(client, "/events"), (client, event), (client, f"{event}?overall=1"),
             (judge, "/relevance?text=机器视觉缺陷检测"), (judge, "/relevance?query_id=N214"),
             (judge, "/relevance/report"), (visitor(world, None), "/catalog")]  # fmt: skip
    for who, path in pages:
        page = who.get(path)
        assert page.status_code == 200, path
        check_markup(page.text, path)
    assert len(re.findall(r'class="sl-item', client.get(event).text)) >= 4
