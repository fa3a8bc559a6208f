"""Browser test on the e2e server (demo library, real model, live index; `conftest.py`): an
organiser signs in, creates an event, adds manufacturers' needs, builds their shortlists
(diversified: one resource per provider; one allowing several; a bundle for a need with several
aspects), reorders them by dragging and with the ↓ button, adds a resource by hand, annotates,
and downloads the xlsx, which openpyxl opens and checks against what the page showed. Also the
public catalog and the relevance dashboard. Screenshots at desktop and phone width."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page

from tests.e2e.conftest import ROOT, Server, shoot, sign_in

pytestmark = pytest.mark.e2e

EVENT = "佛山市家电与电子制造供需对接会"
VISION = ("佛山市顺德区美嘉电子有限公司",
          "我们做3C金属外壳和家电面板，想用机器视觉替代人工做外观缺陷检测")  # fmt: skip
EXPORT = ("中山市清源电器有限公司",
          "外贸工厂想用AI做多语种询盘回复和跨境直播，拓展海外市场")  # fmt: skip
BUNDLE = ("东莞市丰达电子科技有限公司",
          "SMT车间想上线MES，同时做AOI智能复判，还要用AMR把物料自动配送到产线")  # fmt: skip


def need_panel(page: Page, company: str) -> Locator:
    return page.locator("section.need", has=page.locator(".need__company", has_text=company))


def codes(panel: Locator) -> list[str]:
    return [i.get_attribute("data-code") or "" for i in panel.locator("li.sl-item").all()]


def providers(panel: Locator) -> list[str]:
    metas = panel.locator(".sl-item__meta").all_inner_texts()
    return [meta.split(" · ")[0].strip() for meta in metas]


def shown(page: Page) -> dict[str, list[tuple[str, str]]]:
    """Each need's shortlist as the page shows it: company -> [(code, note)] in order."""
    found = {}
    for need in page.locator("section.need").all():
        company = need.locator(".need__company").inner_text().strip()
        found[company] = [(i.get_attribute("data-code") or "", i.locator("textarea").input_value())
                          for i in need.locator("li.sl-item").all()]  # fmt: skip
    return found


def compute(panel: Locator, *, same_provider: bool = False, bundle: bool = False) -> None:
    if same_provider:
        panel.locator("input[name=allow_same_provider]").check()
    if bundle:
        panel.locator("input[name=mode][value=bundle]").check()
    with panel.page.expect_navigation():
        panel.locator("form.compute button[type=submit]").click()


def create_event(page: Page) -> None:
    sign_in(page, "organiser")
    assert page.url.endswith("/events")  # the organiser's workspace
    page.fill("#title", EVENT)
    page.select_option("#event_type", "供需对接会")
    page.fill("#held_on", "2026-12-10")
    page.select_option("#city", "佛山市")
    page.select_option("#industry_focus", ["C38", "C39"])
    with page.expect_navigation():
        page.click("form[action='/events'] button[type=submit]")
    for company, text in (VISION, EXPORT, BUNDLE):
        page.fill("#company", company)
        page.fill("#text", text)
        with page.expect_navigation():
            page.click("#add-need button[type=submit]")


def build_shortlists(page: Page, server: Server) -> dict[str, list[str]]:
    """Compute, hand-add, drag, move and bundle; the aspects each bundle resource covers."""
    vision, export, bundle = (need_panel(page, c) for c, _ in (VISION, EXPORT, BUNDLE))
    compute(vision)
    assert len(codes(vision)) >= 2
    assert len(set(providers(vision))) == len(providers(vision))  # one per provider
    compute(export, same_provider=True)
    # By hand: the best plain match the diversified list left out (a second resource of a
    # provider already on it), else a resource of the other need.
    plain = server.api().post("/api/v1/match", json={"need": VISION[1], "k": 20}).json()
    candidates = [r["code"] for r in plain["results"]] + codes(export)
    extra = next(c for c in candidates if c not in codes(vision))
    vision.locator("form.sl-add input[name=resource_code]").fill(extra)
    with page.expect_navigation():
        vision.locator("form.sl-add button").click()
    before = codes(vision)
    assert before[-1] == extra
    with page.expect_navigation():  # drag the hand-added resource to the top
        vision.locator(f"li[data-code='{extra}']").drag_to(
            vision.locator(f"li[data-code='{before[0]}']")
        )
    assert codes(vision) == [extra, *before[:-1]]
    first = codes(export)
    with page.expect_navigation():
        export.locator(f"li[data-code='{first[0]}'] button[aria-label^='下移']").click()
    assert codes(export)[:2] == [first[1], first[0]]
    compute(bundle, bundle=True)
    covers = {item.get_attribute("data-code") or "": item.locator(".tag--aspect").all_inner_texts()
              for item in bundle.locator("li.sl-item").all()}  # fmt: skip
    assert len(covers) >= 2 and all(covers.values())
    return covers


def annotate(page: Page) -> dict[tuple[str, str], str]:
    notes = {}
    for (company, _), note in ((VISION, "重点：金属外壳划伤、压伤检测"),
                               (EXPORT, "12月10日上午对接，需准备多语种演示")):  # fmt: skip
        code = codes(need_panel(page, company))[0]
        item = need_panel(page, company).locator(f"li[data-code='{code}']")
        item.locator("textarea[name=note]").fill(note)
        with page.expect_navigation():
            item.locator("form.sl-note button").click()
        notes[(company, code)] = note
    return notes


def test_an_organiser_builds_shortlists_and_downloads_them(
    server: Server, page: Page, tmp_path: Path
) -> None:
    create_event(page)
    shoot(page, "50-organiser-event-new")
    covers = build_shortlists(page, server)
    notes = annotate(page)
    final = shown(page)
    for (company, code), note in notes.items():
        assert dict(final[company])[code] == note
    page.goto(page.url.split("#")[0])  # from the top, not at the last need's anchor
    shoot(page, "51-organiser-event")

    with page.expect_download() as download:
        page.click("a[data-export]")
    saved = tmp_path / "event.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    companies = [VISION[0], EXPORT[0], BUNDLE[0]]
    assert book.sheetnames == ["活动概况", *(f"需求{n} {c}" for n, c in enumerate(companies, 1))]
    for sheet, company in zip(book.sheetnames[1:], companies, strict=True):
        rows = list(book[sheet].iter_rows(min_row=4, values_only=True))
        assert [(r[1], r[9] or "") for r in rows] == final[company], sheet
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    aspects = {r[1]: r[7] for r in book[book.sheetnames[3]].iter_rows(min_row=4, values_only=True)}
    assert aspects == {code: "；".join(texts) for code, texts in covers.items()}
    assert book["活动概况"]["A1"].value == EVENT

    page.goto(page.url.split("#")[0].split("?")[0] + "?overall=1#overall")
    served = page.locator("#overall tbody tr")
    assert served.count() >= 3
    shoot(page, "52-organiser-event-overall")
    page.goto("/events")
    shoot(page, "53-organiser-events")


def test_the_catalog_page(server: Server, page: Page) -> None:
    page.goto("/catalog")
    assert page.locator("h1").inner_text().startswith("《广东省制造业赋能资源目录（")
    total = server.api().get("/api/v1/catalog").json()["total"]
    assert total > 0 and page.locator(".catalog-table tbody tr").count() == total
    shoot(page, "60-catalog")
    page.select_option("#f-direction", "人工智能应用")
    with page.expect_navigation():
        page.click(".catalog-filters button[type=submit]")
    ai = server.api().get("/api/v1/catalog", params={"direction": "人工智能应用"}).json()
    assert page.locator(".catalog-table tbody tr").count() == ai["shown"] < total


def test_the_relevance_dashboard(server: Server, page: Page) -> None:
    _project_report(server)
    sign_in(page, "relevance")
    assert page.url.endswith("/relevance")
    page.fill("#typed", "想用机器视觉做3C金属外壳外观缺陷检测")
    with page.expect_navigation():
        page.click("form.typed-need button")
    rows = page.locator("li.judge-row")
    assert rows.count() >= 2
    for row, grade in zip(rows.all()[:2], ("3", "1"), strict=False):
        row_id = row.get_attribute("id")
        with page.expect_navigation():
            row.locator(f"button[name=grade][value='{grade}']").click()
        assert page.locator(f"#{row_id} button.is-chosen").get_attribute("value") == grade
    page.goto(page.url.split("#")[0])  # from the top, not at the graded result's anchor
    shoot(page, "70-relevance-dashboard")
    page.goto("/relevance/report")
    shoot(page, "71-relevance-report")


def _project_report(server: Server) -> None:
    """The project's newest evaluation report, copied into the server's var/reports/ (its
    var_dir sits beside the clock file, see conftest), for the report page."""
    reports = ROOT / "var" / "reports"
    folders = sorted(p for p in reports.iterdir() if p.is_dir()) if reports.is_dir() else []
    target = server.clock_file.parent / "var" / "reports"
    if folders and not (target / folders[-1].name).exists():
        shutil.copytree(folders[-1], target / folders[-1].name)
