"""The annual catalog over HTTP (Art.20(1)): its rows are the library's certified entries, the
filters keep exactly what a brute-force reading of the rows keeps (numbers unchanged), the xlsx
holds the same rows one sheet per direction, and a warned entry leaves the catalog."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from registry.actor import Actor
from registry.catalog import catalog_rows
from registry.catalog_xlsx import HEADERS
from registry.library import entries
from registry.models.monitoring import WarningReason
from registry.services.accounts import find_user
from registry.services.warnings import warn_entry
from tests.api.conftest import error_types
from tests.api.test_events_world import NOW, events_app, world
from tests.pages.library_world import LibraryApp

__all__ = ["world"]

Row = dict[str, Any]


def catalog(world: LibraryApp, status: int = 200, **params: Any) -> Any:
    response = world.client.get("/api/v1/catalog", params=params)
    assert response.status_code == status, response.text
    return response.json()


def certified_codes(world: LibraryApp) -> list[str]:
    with world.sessions() as session:
        return sorted(v.resource_code for v in entries(session=session) if v.status == "certified")


def test_the_rows_are_the_library_s_certified_entries(world: LibraryApp) -> None:
    found = catalog(world)
    assert found["title"] == "广东省制造业赋能资源目录（2026年）"
    assert found["as_of"] == NOW.date().isoformat() and found["year"] == 2026
    codes = [r["resource_code"] for r in found["rows"]]
    assert sorted(codes) == certified_codes(world) and len(codes) == found["total"] == 6
    with world.sessions() as session:
        views = {v.resource_code: v for v in entries(session=session)}
    for row in found["rows"]:
        view = views[row["resource_code"]]
        assert row["title"] == view.title and row["provider"] == view.provider_name
        assert row["city"] == view.provider_city and row["directions"] == list(view.directions)
        assert row["sheet"] == view.directions[0]
        assert [i["code"] for i in row["industries"]] == list(view.industries)
        assert row["priority"] is view.priority
    # Numbered per sheet, priority first: FX-001 (priority) leads 人工智能应用.
    by_sheet: dict[str, list[Row]] = {}
    for row in found["rows"]:
        by_sheet.setdefault(row["sheet"], []).append(row)
    for rows in by_sheet.values():
        assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    assert by_sheet["人工智能应用"][0]["resource_code"] == "FX-001"
    counts = {d["direction"]: d["total"] for d in found["directions"]}
    assert counts == {d: len(by_sheet.get(d, [])) for d in counts}


FILTERS: list[tuple[dict[str, Any], Callable[[Row], bool]]] = [
    ({"direction": "市场销售"}, lambda r: "市场销售" in r["directions"]),
    ({"city": "东莞市"}, lambda r: r["city"] == "东莞市"),
    ({"industry": "C38"}, lambda r: "C38" in [i["code"] for i in r["industries"]]),
    ({"form": "集成服务方案"}, lambda r: r["form"] == "集成服务方案"),
    ({"q": "视觉"}, lambda r: "视觉" in f"{r['resource_code']}{r['title']}{r['summary']}"),
    ({"q": "跨境通"}, lambda r: "跨境通" in r["provider"]),
    ({"priority_only": "true"}, lambda r: r["priority"]),
    ({"direction": "市场销售", "form": "", "city": "", "industry": "", "q": ""},
     lambda r: "市场销售" in r["directions"]),  # what the page's form sends
    ({"direction": "制造生产", "city": "佛山市"},
     lambda r: "制造生产" in r["directions"] and r["city"] == "佛山市"),
]  # fmt: skip


@pytest.mark.parametrize(("params", "keep"), FILTERS)
def test_filters_keep_what_the_rows_say(
    world: LibraryApp, params: dict[str, Any], keep: Callable[[Row], bool]
) -> None:
    everything = catalog(world)["rows"]
    found = catalog(world, **params)
    expected = [r for r in everything if keep(r)]
    assert expected, params  # each filter keeps something, so a broken one shows
    assert found["rows"] == expected  # same rows, same 序号 as the whole catalog
    assert found["shown"] == len(expected) and found["total"] == len(everything)


@pytest.mark.parametrize(("params", "keep"), FILTERS)
def test_filters_agree_with_the_registry_s_catalog_rows(
    world: LibraryApp, params: dict[str, Any], keep: Callable[[Row], bool]
) -> None:
    given = {name: value or None for name, value in params.items()}
    with world.sessions() as session:
        rows = catalog_rows(
            session=session, as_of=NOW.date(), direction=given.get("direction"),
            city=given.get("city"), industry=given.get("industry"), form=given.get("form"),
            text=given.get("q"), priority_only="priority_only" in params,
        )  # fmt: skip
    found = catalog(world, **params)["rows"]
    assert [(r["sheet"], r["number"], r["resource_code"]) for r in found] == [
        (r.sheet, r.number, r.resource_code) for r in rows
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"city": "东莞"}, "invalid_filter"),
        ({"industry": "C99"}, "invalid_filter"),
        ({"direction": "数字化"}, "invalid_filter"),
        ({"direction": "人工智能"}, "invalid_filter"),
        ({"form": "软件"}, "invalid_filter"),
        ({"as_of": "2026-12-31"}, "as_of_in_future"),
        ({"as_of": "昨天"}, "date_from_datetime_parsing"),
        ({"year": 1999}, "greater_than_equal"),
    ],
)
def test_invalid_filters_are_refused(world: LibraryApp, params: dict[str, Any], code: str) -> None:
    assert error_types(catalog(world, 422, **params)) == [code]


def test_a_past_day_lists_what_was_certified_then(world: LibraryApp) -> None:
    found = catalog(world, as_of="2026-01-01", year=2025)
    assert found["title"] == "广东省制造业赋能资源目录（2025年）"
    assert sorted(r["resource_code"] for r in found["rows"]) == ["FX-001", "FX-002", "FX-003",
                                                                  "FX-004"]  # fmt: skip


def test_the_xlsx_holds_the_same_rows(world: LibraryApp) -> None:
    response = world.client.get("/api/v1/catalog.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    book = load_workbook(BytesIO(response.content))
    rows = catalog(world)["rows"]
    assert book.sheetnames[0] == "封面"
    assert book["封面"]["A1"].value == "广东省制造业赋能资源目录（2026年）"
    for sheet in book.sheetnames[1:]:
        table = list(book[sheet].iter_rows(values_only=True))
        assert tuple(table[0]) == HEADERS
        expected = [(r["number"], r["resource_code"], r["title"]) for r in rows
                    if r["sheet"] == sheet]  # fmt: skip
        assert [tuple(line[:3]) for line in table[1:]] == expected, sheet


def test_a_warned_entry_leaves_the_catalog(tmp_path: Path) -> None:
    with events_app(tmp_path) as fresh:
        with fresh.sessions() as session:
            staff = find_user(session=session, username="province-staff")
            assert staff is not None
            # Warned in June: its six months end within the years the work calendar covers.
            warned_at = NOW.replace(month=6, day=1)
            warn_entry(session=session, actor=Actor.of(staff), now=warned_at,
                       resource_code="FX-002", reasons=[WarningReason.POOR_FEEDBACK],
                       detail="用户反馈较差")  # fmt: skip
            session.commit()
        codes = [r["resource_code"] for r in catalog(fresh)["rows"]]
        assert "FX-002" not in codes and len(codes) == 5
        book = load_workbook(BytesIO(fresh.client.get("/api/v1/catalog.xlsx").content))
        listed = [line[1] for s in book.sheetnames[1:] for line in book[s].iter_rows(
            min_row=2, values_only=True)]  # fmt: skip
        assert sorted(listed) == sorted(codes)
