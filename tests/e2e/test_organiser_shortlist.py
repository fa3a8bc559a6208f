"""Browser test (headless Chromium from Debian, driven by Playwright): an organiser signs in,
creates an event, adds two manufacturers' needs, builds their shortlists (computed on the live
index, one allowing two resources of one provider), reorders them by dragging and with the ↓
button, annotates one, and downloads the xlsx, which openpyxl opens and checks against what
the page showed. Also renders the catalog and the relevance dashboard; every page is saved at
1280 and 390 pixels wide under var/screenshots/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from api.app import create_app
from api.deps import current_time, get_password_hasher
from api.index_runtime import set_index_factory
from tests.api.test_events_world import FIXTURE_PASSWORD, JUDGE, NOW, load_world
from tests.db.factories import FAST_HASHER
from tests.pages.library_world import keyword_index, page_settings

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {"desktop": 1280, "phone": 390}
VISION = (
    "佛山市顺德区美嘉塑胶制品有限公司",
    "我们做家电外壳注塑，想用机器视觉替代人工做外观缺陷检测",
)
EXPORT = ("中山市清源电器有限公司", "小家电工厂想通过跨境电商独立站和海外社交媒体拓展海外市场")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture library behind a real HTTP server (uvicorn in a thread); its base URL."""
    directory = tmp_path_factory.mktemp("e2e-organiser")
    settings = page_settings(directory)
    load_world(settings, directory)
    _latest_report(settings.var_dir / "reports")
    app = create_app(settings)
    set_index_factory(app, keyword_index)
    app.dependency_overrides[get_password_hasher] = lambda: FAST_HASHER
    app.dependency_overrides[current_time] = lambda: NOW
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/ready", timeout=2).json().get("status") == "ready":
                break
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    else:
        pytest.fail("the server did not become ready")
    yield base
    running.should_exit = True
    thread.join(timeout=10)


def _latest_report(target: Path) -> None:
    """The project's newest evaluation report, if there is one, for the report page."""
    reports = ROOT / "var" / "reports"
    folders = sorted(p for p in reports.iterdir() if p.is_dir()) if reports.is_dir() else []
    if folders:
        shutil.copytree(folders[-1], target / folders[-1].name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    viewport: ViewportSize = {"width": WIDTHS["desktop"], "height": 900}
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, base: str, username: str, target: str) -> None:
    page.goto(f"{base}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", FIXTURE_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}{target}*")


def shoot(page: Page, name: str) -> None:
    """The page at both widths, full length: var/screenshots/<name>-desktop|phone.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def shown(page: Page) -> dict[str, list[tuple[str, str]]]:
    """Each need's shortlist as the page shows it: company -> [(code, note)] in order."""
    found = {}
    for need in page.locator("section.need").all():
        company = need.locator(".need__company").inner_text().strip()
        items = need.locator("li.sl-item").all()
        found[company] = [(i.get_attribute("data-code") or "", i.locator("textarea").input_value())
                          for i in items]  # fmt: skip
    return found


def need_panel(page: Page, company: str):  # type: ignore[no-untyped-def]
    return page.locator("section.need", has=page.locator(".need__company", has_text=company))


def test_an_organiser_builds_a_shortlist_and_downloads_it(
    server: str, page: Page, tmp_path: Path
) -> None:
    sign_in(page, server, "organiser", "/events")
    page.fill("#title", "佛山市家电与注塑行业供需对接会")
    page.select_option("#event_type", "供需对接会")
    page.fill("#held_on", "2026-12-10")
    page.select_option("#city", "佛山市")
    page.select_option("#industry_focus", ["C29", "C38"])
    page.click("form[action='/events'] button[type=submit]")
    page.wait_for_url(f"{server}/events/*")
    for company, text in (VISION, EXPORT):
        page.fill("#company", company)
        page.fill("#text", text)
        page.click("#add-need button[type=submit]")
        page.wait_for_selector(f".need__company:has-text('{company}')")

    vision, export = need_panel(page, VISION[0]), need_panel(page, EXPORT[0])
    # Need 1: the diversified list (one per provider), then a resource added by hand.
    with page.expect_navigation():
        vision.locator("form.compute button[type=submit]").click()
    first = [code for code, _ in shown(page)[VISION[0]]]
    assert first[0] == "FX-001" and "FX-005" not in first
    vision.locator("form.sl-add input[name=resource_code]").fill("FX-004")
    with page.expect_navigation():
        vision.locator("form.sl-add button").click()
    assert [code for code, _ in shown(page)[VISION[0]]][-1] == "FX-004"
    # Need 2: two resources of one provider allowed.
    export.locator("input[name=allow_same_provider]").check()
    with page.expect_navigation():
        export.locator("form.compute button[type=submit]").click()
    assert [code for code, _ in shown(page)[EXPORT[0]]][:2] == ["FX-003", "FX-006"]

    # Reorder: drag FX-004 to the top of need 1; move FX-003 down in need 2.
    with page.expect_navigation():
        vision.locator("li[data-code='FX-004']").drag_to(vision.locator("li[data-code='FX-001']"))
    assert [c for c, _ in shown(page)[VISION[0]]][:2] == ["FX-004", "FX-001"]
    with page.expect_navigation():
        export.locator("li[data-code='FX-003'] button[aria-label^='下移']").click()
    assert [c for c, _ in shown(page)[EXPORT[0]]][:2] == ["FX-006", "FX-003"]
    # Annotate one item of each need.
    notes = {(EXPORT[0], "FX-006"): "12月10日上午对接，需准备独立站案例演示",
             (VISION[0], "FX-001"): "重点：注塑件缩痕、飞边检测"}  # fmt: skip
    for (company, code), note in notes.items():
        item = need_panel(page, company).locator(f"li[data-code='{code}']")
        item.locator("textarea[name=note]").fill(note)
        with page.expect_navigation():
            item.locator("form.sl-note button").click()
    final = shown(page)
    for (company, code), note in notes.items():
        assert dict(final[company])[code] == note
    shoot(page, "51-organiser-event")

    # The workbook the organiser downloads holds what the page shows.
    with page.expect_download() as download:
        page.click("a[data-export]")
    saved = tmp_path / "event.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames == ["活动概况", f"需求1 {VISION[0]}", f"需求2 {EXPORT[0]}"]
    for sheet, company in ((book.sheetnames[1], VISION[0]), (book.sheetnames[2], EXPORT[0])):
        rows = list(book[sheet].iter_rows(min_row=4, values_only=True))
        assert [(r[1], r[9] or "") for r in rows] == final[company], sheet
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert book["活动概况"]["A1"].value == "佛山市家电与注塑行业供需对接会"

    page.goto(page.url.split("#")[0].split("?")[0] + "?overall=1#overall")
    entries = page.locator("#overall tbody tr").all()
    assert len(entries) >= 2
    shoot(page, "52-organiser-event-overall")
    page.goto(f"{server}/events")
    shoot(page, "50-organiser-events")


def test_catalog_and_relevance_pages(server: str, page: Page) -> None:
    page.goto(f"{server}/catalog")
    assert page.locator("h1").inner_text() == "《广东省制造业赋能资源目录（2026年）》"
    assert page.locator(".catalog-table tbody tr").count() == 6
    shoot(page, "60-catalog")
    page.select_option("#f-direction", "市场销售")
    page.click(".catalog-filters button[type=submit]")
    page.wait_for_url("**/catalog?*")
    assert page.locator(".catalog-table tbody tr").count() == 2

    sign_in(page, server, JUDGE, "/relevance")
    page.fill("#typed", "想用机器视觉做注塑件外观缺陷检测")
    page.click("form.typed-need button")
    page.wait_for_selector("li.judge-row")
    page.locator("#r-FX-001 button[name=grade][value='3']").click()
    page.wait_for_selector("#r-FX-001 button.is-chosen[value='3']")
    page.locator("#r-FX-005 button[name=grade][value='1']").click()
    page.wait_for_selector("#r-FX-005 button.is-chosen[value='1']")
    shoot(page, "70-relevance-dashboard")
    page.goto(f"{server}/relevance/report")
    shoot(page, "71-relevance-report")
