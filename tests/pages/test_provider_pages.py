"""The provider portal through its forms: a resource with three cases and evidence, an
application started, refused with its findings per article, submitted with the commitment;
a returned application answered; refusals shown in Chinese on the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.pages.conftest import post_form, sign_in
from tests.pages.library_world import LibraryApp

RESOURCE = {
    "title": "冲压件表面划伤视觉检测",
    "directions": ["人工智能应用", "制造生产"],
    "form": "标准化产品",
    "industries": ["C33"],
    "summary": "面向五金冲压件的表面划伤视觉检测。",
    "advantages": "部署快。",
    "indicators": "检出率 99%。",
    "scenarios": "五金冲压车间。",
    "keywords": "机器视觉、冲压",
}


def case(i: int) -> dict[str, str]:
    return {
        "title": f"五金厂冲压件检测{i}",
        "client": f"佛山市某五金有限公司{i}",
        "client_city": "佛山市",
        "client_industry": "C33",
        "started_on": "2026-01-05",
        "completed_on": "2026-05-30",
        "implementation": "部署检测工位。",
        "results": "漏检率下降 70%。",
        "feedback": "效果好。",
        "feedback_on": "2026-08-01",
    }


def test_resource_form_refusal_is_in_chinese_per_field(client: TestClient) -> None:
    sign_in(client, "fx-mingshi")
    page = post_form(client, "/provider/resources/new", "/provider/resources/new",
                     {"title": "", "form": "标准化产品"})  # fmt: skip
    assert page.status_code == 422
    assert "资源未能保存" in page.text and "此项为必填" in page.text
    assert re.search(r'field--invalid[^>]*>\s*<label class="field__label" for="title"', page.text)


def test_a_provider_takes_a_resource_to_submission(fresh: LibraryApp) -> None:
    client = fresh.client
    home = sign_in(client, "fx-mingshi")
    assert "东莞市明视智能检测科技有限公司" in home.text
    created = post_form(client, "/provider/resources/new", "/provider/resources/new", RESOURCE)
    assert created.status_code == 303
    page_url = created.headers["location"]
    resource_id = int(page_url.rsplit("/", 1)[1])
    for i in range(1, 4):
        added = post_form(client, page_url, f"{page_url}/cases", case(i))
        assert added.status_code == 303, added.text
    uploaded = post_form(
        client, page_url, f"{page_url}/evidence",
        {"kind": "发明专利", "title": "一种冲压件划伤检测方法", "number": "ZL202410000001.1",
         "issued_on": "2025-03-01"},
        files={"file": ("patent.pdf", b"%PDF-1.4 patent", "application/pdf")},
    )  # fmt: skip
    assert uploaded.status_code == 303, uploaded.text
    resource_page = client.get(page_url).text
    assert "典型案例（3）" in resource_page and "一种冲压件划伤检测方法" in resource_page

    started = post_form(
        client,
        "/provider",
        "/provider/applications",
        {"resource_id": resource_id, "batch_code": "2026Q4", "route": "municipal"},
    )
    assert started.status_code == 303, started.text  # fmt: skip
    app_url = started.headers["location"]
    draft = client.get(app_url).text
    assert "提交前预检" in draft

    refused = post_form(client, app_url, f"{app_url}/submit", {})  # no commitment signed
    assert refused.status_code == 422
    assert "未能提交" in refused.text and "第九条第（五）项" in refused.text

    done = post_form(client, app_url, f"{app_url}/submit", {"commitment": "1"})
    assert done.status_code == 303
    after = client.get(app_url).text
    assert "地市初审中" in after and "地市初审期限" in after and "申报已提交" in after


def test_a_returned_application_is_answered(fresh: LibraryApp) -> None:
    client = fresh.client
    home = sign_in(client, "fx-kuajing")
    link = re.search(r'href="(/provider/applications/\d+)">处理', home.text)
    assert link, "the returned application is not offered"
    page = client.get(link.group(1)).text
    assert "退回补正" in page and "三个案例的成效数据缺少服务对象确认文件" in page
    answered = post_form(client, link.group(1), f"{link.group(1)}/resubmit", {})
    assert answered.status_code == 303
    assert "补正后重新提交" in client.get(link.group(1)).text


def test_forms_without_the_token_are_refused(client: TestClient) -> None:
    sign_in(client, "fx-mingshi")
    refused = client.post("/provider/resources/new", data=RESOURCE, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text


def test_another_organisations_resource_is_refused(client: TestClient) -> None:
    home = sign_in(client, "fx-mingshi")
    mine = {int(i) for i in re.findall(r'href="/provider/resources/(\d+)"', home.text)}
    other = next(i for i in range(1, 20) if i not in mine)
    page = client.get(f"/provider/resources/{other}")
    assert page.status_code == 403 and "只能操作本单位" in page.text
