"""The public pages: need search (results, highlights, evidence, reasons, no-suitable, bundle,
validation, CSRF), library browse with facets and paging, resource detail, errors as pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.pages.conftest import csrf_of

NEED = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"


def test_home_renders_the_form_with_its_security_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert 'lang="zh-CN"' in html and '<label class="field__label" for="need">' in html
    assert csrf_of(page) and "注塑件外观检测" in html  # an example need
    assert "《广东省制造业赋能资源管理办法》" in html  # the footer cites the Measures
    for name in ("direction", "form", "industry", "city", "provider_type"):
        assert f'name="{name}"' in html


def test_search_shows_highlights_reasons_and_the_evidence_case(client: TestClient) -> None:
    html = client.get("/", params={"need": NEED}).text
    assert "找到 1 项匹配的赋能资源" in html
    assert '<a href="/library/FX-001">' in html
    assert "<mark>机器视觉外观缺陷检测</mark>" in html  # adjacent terms marked as one
    assert "为什么匹配" in html and "关键词（BM25） 第 1 名" in html
    assert "佐证案例" in html and 'href="/library/FX-001#case-' in html
    assert "优先推广" in html
    assert "0769-22000001" not in html  # the provider's contact never shows


def test_the_form_posts_with_its_token_and_filters(client: TestClient) -> None:
    token = csrf_of(client.get("/"))
    page = client.post("/", data={"need": NEED, "city": "佛山市", "csrf_token": token})
    assert page.status_code == 200
    assert "FX-001" not in re.sub(r"<textarea.*?</textarea>", "", page.text, flags=re.S)
    assert 'value="佛山市" selected' in page.text  # the chosen filter stays chosen


def test_a_post_without_the_token_is_refused_as_a_page(client: TestClient) -> None:
    page = client.post("/", data={"need": NEED})
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "CSRF" in page.text and "无权访问" in page.text


def test_nothing_fits_says_so_with_advice(client: TestClient) -> None:
    html = client.get("/", params={"need": "红酒进口代理与葡萄酒品鉴会策划"}).text
    assert "暂无合适资源" in html and "建议" in html and 'class="result"' not in html


def test_bundle_view_shows_which_resource_covers_which_aspect(client: TestClient) -> None:
    need = "想用机器视觉做缺陷检测，同时上线MES，并通过跨境电商拓展海外市场"
    html = client.get("/", params={"need": need, "bundle": "1"}).text
    assert "需求的各个方面" in html and "覆盖需求的 3/3 个方面" in html
    for aspect in ("想用机器视觉做缺陷检测", "上线MES", "通过跨境电商拓展海外市场"):
        assert f"<td data-label=\"方面\">{aspect}</td>" in html


def test_an_empty_need_is_refused_on_the_form(client: TestClient) -> None:
    token = csrf_of(client.get("/"))
    page = client.post("/", data={"need": "  ", "csrf_token": token})
    assert page.status_code == 422 and "此项不能为空" in page.text


def test_library_lists_filters_and_counts(client: TestClient) -> None:
    html = client.get("/library").text
    assert "共 4 项资源" in html
    assert html.count('class="card"') == 4
    assert 'value="东莞市"' in html and '<span class="facet__count">1</span>' in html
    only = client.get("/library", params={"city": "东莞市"}).text
    assert "共 1 项资源" in only and "FX-001" in only and "FX-002" not in only
    assert "所在城市：东莞市" in only  # the chosen filter as a chip
    beyond = client.get("/library", params={"page": 99})
    assert beyond.status_code == 200 and "共 4 项资源" in beyond.text


def test_library_pages_twelve_at_a_time(client: TestClient) -> None:
    # Four resources: one page, no pagination shown; the page size is the contract.
    from api.pages.library import PAGE_SIZE

    assert PAGE_SIZE == 12
    assert 'class="pagination"' not in client.get("/library").text


def test_resource_page_shows_every_case(client: TestClient) -> None:
    html = client.get("/library/FX-001").text
    assert "注塑件机器视觉外观缺陷检测系统" in html
    assert len(re.findall(r'<article class="case" id="case-\d+"', html)) == 3
    assert "东莞市恒丰塑胶制品有限公司" in html and "li@mingshi" not in html


def test_unknown_pages_are_pages_and_unknown_api_paths_json(client: TestClient) -> None:
    missing = client.get("/library/NO-999")
    assert missing.status_code == 404 and "资源库中没有该资源" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    nowhere = client.get("/no/such/page", headers={"accept": "text/html"})
    assert nowhere.status_code == 404 and "页面不存在" in nowhere.text
    api = client.get("/api/v1/no/such", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["detail"][0]["type"] == "not_found"
