"""申报单位注册 through its form: refusals in Chinese per field and with the article, a valid
registration stored with its licence, and the form's token required."""

from __future__ import annotations

from sqlalchemy import select

from registry.models.organisations import Organisation
from tests.db.factories import uscc
from tests.pages.conftest import post_form
from tests.pages.library_world import LibraryApp

LICENCE = {"licence": ("营业执照.pdf", b"%PDF-1.4 licence", "application/pdf")}
ORGANISATION = {
    "name": "广州市注册测试智能装备有限公司",
    "uscc": uscc(77, "440100"),
    "org_type": "企业",
    "scale": "中型",
    "city": "广州市",
    "province": "广东省",
    "address": "广州市黄埔区科学大道1号",
    "guangdong_operations": "研发与生产均在广州黄埔。",
    "established_on": "2015-03-01",
    "business_since": "2015-06-01",
    "employees": "120",
    "contact_name": "林工",
    "contact_phone": "020-80000000",
    "contact_email": "lin@example.cn",
    "revenue_2023": "30000000",
    "revenue_2024": "36000000",
    "revenue_2025": "41000000",
    "independent_legal_person": "true",
    "facilities_and_team": "true",
    "sound_finance": "true",
}


def test_the_form_renders_for_an_anonymous_applicant(fresh: LibraryApp) -> None:
    page = fresh.client.get("/register")
    assert page.status_code == 200 and "申报单位注册" in page.text
    assert 'name="licence"' in page.text and "2025 年" in page.text


def test_refusals_are_shown_per_field(fresh: LibraryApp) -> None:
    bad = {**ORGANISATION, "uscc": "91440100000000000X", "contact_email": "no-at-sign"}
    page = post_form(fresh.client, "/register", "/register", bad, files=LICENCE)
    assert page.status_code == 422 and "注册未能提交" in page.text
    assert "格式不正确" in page.text  # the e-mail address
    missing = post_form(fresh.client, "/register", "/register", ORGANISATION)
    assert missing.status_code == 422 and "请上传营业执照或法人证书扫描件" in missing.text


def test_a_registration_is_stored_with_its_licence(fresh: LibraryApp) -> None:
    page = post_form(fresh.client, "/register", "/register", ORGANISATION, files=LICENCE)
    assert page.status_code == 200, page.text
    assert "注册信息已提交：广州市注册测试智能装备有限公司" in page.text
    with fresh.sessions() as session:
        org = session.scalar(select(Organisation).where(Organisation.uscc == ORGANISATION["uscc"]))
        assert org is not None and org.city == "广州市" and org.employees == 120
        assert sorted(r.year for r in org.revenues) == [2023, 2024, 2025]


def test_a_registration_without_the_token_is_refused(fresh: LibraryApp) -> None:
    page = fresh.client.post("/register", data=ORGANISATION, files=LICENCE)
    assert page.status_code == 403 and "CSRF" in page.text
