"""The public catalog page: the published title and rows, the filters as a form sends them,
the download link, and a refused filter explained in Chinese."""

from __future__ import annotations

import re

from tests.api.test_events_world import world
from tests.pages.library_world import LibraryApp

__all__ = ["world"]


def listed(html: str) -> list[str]:
    return re.findall(r'<span class="catalog-table__sub">((?:FX|AI)-\d+)</span>', html)


def test_anyone_reads_the_catalog(world: LibraryApp) -> None:
    page = world.client.get("/catalog")
    assert page.status_code == 200
    assert "《广东省制造业赋能资源目录（2026年）》" in page.text
    assert sorted(listed(page.text)) == [f"FX-00{n}" for n in range(1, 7)]
    assert 'href="/api/v1/catalog.xlsx?year=2026&amp;as_of=2026-11-26"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_the_filter_form_narrows_the_rows(world: LibraryApp) -> None:
    params = {"direction": "市场销售", "form": "", "city": "", "industry": "", "q": ""}
    page = world.client.get("/catalog", params=params)
    assert sorted(listed(page.text)) == ["FX-003", "FX-006"]
    assert "符合条件的资源 2 项（共 6 项）" in page.text
    priority = world.client.get("/catalog", params={"priority_only": "true"})
    assert listed(priority.text) == ["FX-001"]
    nothing = world.client.get("/catalog", params={"q": "不存在的资源"})
    assert listed(nothing.text) == [] and "没有符合条件的资源" in nothing.text


def test_a_refused_filter_is_explained(world: LibraryApp) -> None:
    page = world.client.get("/catalog", params={"city": "东莞"}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "未知的地市：东莞" in page.text
