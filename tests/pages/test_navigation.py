"""Every page a role may open is reachable from the navigation: in the header or footer, or
one click away from a page they link to. Every navigation link opens for that role, a link
to a part of a page finds that part, and the current page is marked in the bars. Checked
against the app's page routes and permission table, so a page added later without a way to
it fails here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import api_routes
from api.pages.navigation import PUBLIC_NAV, WORKSPACES, NavItem, current
from api.permissions import Access
from registry.enums import Role
from tests.pages.conftest import sign_in
from tests.pages.library_world import LibraryApp

USERS = {
    None: None,
    Role.PROVIDER: "fx-mingshi",
    Role.MUNICIPAL_REVIEWER: "dongguan-reviewer",
    Role.EXPERT: "expert-ind-1",
    Role.PROVINCIAL_STAFF: "province-staff",
    Role.ORGANISER: "organiser",
    Role.ADMIN: "admin",
}
# Addresses that are not pages of their own: /workspace redirects to the role's home; a
# signed-in user asking for /login goes on to their workspace.
NOT_PAGES = {"/workspace"}
# Pages a role may open but has no reason to look for: a provider already has its
# organisation (the registration form is for applicants, and for staff registering one).
NOT_OFFERED = {Role.PROVIDER: {"/register"}}
# Top pages reached from inside another one: the forms' follow-ups, registration from sign-in
# and the footer, a new resource from the provider's portal.
IN_PAGE = {"/register", "/complaints/follow-up", "/publicity/follow-up", "/provider/resources/new"}
HREF = re.compile(r'href="([^"]+)"')
BAR = re.compile(r"<(header|footer)\b.*?</\1>", re.S)
# The workspace items the service promises each role (the brief of the navigation).
PROMISED = {
    Role.PROVIDER: ["申报与资源", "入库资源", "年度报告", "预警整改", "退出申请"],
    Role.MUNICIPAL_REVIEWER: ["审核队列", "退出申请转报"],
    Role.PROVINCIAL_STAFF: [
        *("认定工作台", "资源库管理", "年度报告", "预警"),
        *("移出", "投诉举报", "逾期", "审计日志"),
    ],
    Role.ORGANISER: ["对接活动"],
    Role.RELEVANCE_STAFF: ["相关性评测"],
}


def _pages_for(world: LibraryApp, role: Role | None) -> set[str]:
    """Paths of the GET pages without parameters that `role` may open (None: anonymous)."""
    table: dict[str, Access] = world.app.state.permissions
    found = set()
    for route in api_routes(world.app):
        if not str(route.name).startswith("page."):
            continue
        access = table[str(route.name)]
        allowed = access.anonymous if role is None else role in access.roles
        path = str(route.path)
        if "GET" in (route.methods or ()) and "{" not in path and allowed:
            found.add(path)
    assert found, "no page routes found: the check would pass vacuously"
    return found - NOT_PAGES - ({"/login"} if role else set())


def _links(html: str) -> set[str]:
    """Site-relative links of a page, entities decoded."""
    return {h.replace("&amp;", "&") for h in HREF.findall(html) if h.startswith("/")}


def _path(href: str) -> str:
    return urlsplit(href).path


@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "anonymous")
def test_every_page_of_a_role_is_reachable_from_its_navigation(
    client: TestClient, world: LibraryApp, role: Role | None
) -> None:
    if USERS[role]:
        sign_in(client, USERS[role])
    home = client.get("/")
    nav = {h for bar in BAR.finditer(home.text) for h in _links(bar.group(0))}
    one_click_more = set()
    for href in sorted(nav):
        page = client.get(href)
        assert page.status_code == 200, (role, href, page.status_code)
        fragment = urlsplit(href).fragment
        assert not fragment or f'id="{fragment}"' in page.text, (role, href)
        one_click_more |= _links(page.text)
    reachable = {_path(h) for h in nav | one_click_more}
    missing = _pages_for(world, role) - reachable - NOT_OFFERED.get(role, set())
    assert missing == set(), f"pages {role} may open but cannot reach: {sorted(missing)}"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_workspace_lists_the_pages_of_its_role(world: LibraryApp, role: Role) -> None:
    workspace = WORKSPACES[role]
    labels = [i.label for i in workspace.items]
    assert set(PROMISED.get(role, [])) <= set(labels), labels
    offered = {_path(i.href) for i in (*PUBLIC_NAV, *workspace.items)}
    # Pages below a listed one (an application, an entry) are reached from it; top pages not.
    missing = {p for p in _pages_for(world, role) - offered if p.count("/") <= 2}
    missing -= IN_PAGE
    assert missing == set(), f"{role} cannot reach {sorted(missing)} from its bars"


def test_the_current_page_is_marked_once(client: TestClient) -> None:
    sign_in(client, "province-staff")
    page = client.get("/review/province/warnings/999")  # unknown: still the warnings' section
    desk = client.get("/review/province/library")
    assert desk.text.count('aria-current="page"') == 1
    assert re.search(r'class="workbar__link is-active" aria-current="page">资源库管理<', desk.text)
    assert 'class="mainnav__link is-active"' not in desk.text
    assert page.status_code == 404
    library = client.get("/library/FX-001")
    assert re.search(r'class="mainnav__link is-active" aria-current="page">资源库<', library.text)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "需求匹配"),
        ("/library/AI-001", "资源库"),
        ("/publicity/follow-up", "公示"),
        ("/provider/library/AI-2026-0001/annual-report", "年度报告"),
        ("/provider/library/AI-001/withdrawal", "退出申请"),
        ("/provider/warnings/3", "预警整改"),
        ("/provider/library", "入库资源"),
        ("/provider/applications/7", "申报与资源"),
        ("/review/province/warnings/2", "预警"),
        ("/review/province/organisations/4/removal", "移出"),
        ("/review/province/library/AI-001", "资源库管理"),
        ("/review/province", "认定工作台"),
        ("/review/complaints/5", "投诉举报"),
        ("/nowhere", None),
    ],
)
def test_which_item_a_page_belongs_to(path: str, expected: str | None) -> None:
    items: tuple[NavItem, ...] = (
        *PUBLIC_NAV,
        *WORKSPACES[Role.PROVIDER].items,
        *WORKSPACES[Role.PROVINCIAL_STAFF].items,
    )
    found = current(path, items)
    assert (found.label if found else None) == expected


def test_the_resource_page_offers_a_complaint_about_it(client: TestClient) -> None:
    page = client.get("/library/FX-001")
    assert 'href="/complaints?resource=FX-001"' in page.text
    form = client.get("/complaints?resource=FX-001")
    assert re.search(r'<input[^>]*name="resource_code"[^>]*value="FX-001"', form.text)
