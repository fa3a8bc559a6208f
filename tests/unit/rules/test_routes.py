"""Art.16 provincial-direct route and Art.17 direct entry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.findings import Finding
from registry.reference import OrgType
from registry.rules import DirectEntryFacts
from registry.rules.routes import check_route
from registry.seed_schema import Route
from tests.unit.rules.builders import applicant, codes, only, submission


def _check(route: Route, entry: DirectEntryFacts | None = None, **changes: Any) -> list[Finding]:
    return check_route(
        applicant=applicant(**changes), submission=submission(route=route, direct_entry=entry)
    )


OUTSIDE = {"city": "省外", "province": "湖南省"}


def test_guangdong_enterprise_goes_through_its_city() -> None:
    assert _check(Route.MUNICIPAL) == []
    finding = only(_check(Route.PROVINCIAL_DIRECT), "art16.provincial_route_not_allowed")
    assert finding.article == "Art.16"
    assert "应向广州市工业和信息化部门申报" in finding.message


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (OUTSIDE, "不属于广东省"),
        ({"org_type": OrgType.CENTRAL_SOE}, "中央直属企业"),
        ({"org_type": OrgType.PROVINCIAL_SOE}, "省属企业"),
    ],
)
def test_outside_or_soe_must_go_to_the_province(changes: dict[str, Any], reason: str) -> None:
    assert _check(Route.PROVINCIAL_DIRECT, **changes) == []
    finding = only(_check(Route.MUNICIPAL, **changes), "art16.route_must_be_provincial")
    assert finding.loc == ("submission", "route")
    assert reason in finding.message


def _entry(valid_until: date, certified_on: date = date(2023, 5, 1)) -> DirectEntryFacts:
    return DirectEntryFacts(
        platform="广东省制造业创新中心",
        document="粤工信创新函〔2023〕12号",
        certified_on=certified_on,
        valid_until=valid_until,
    )


def test_direct_entry_valid_through_the_submission_day() -> None:
    assert _check(Route.DIRECT_ENTRY, _entry(date(2025, 9, 15))) == []
    finding = only(
        _check(Route.DIRECT_ENTRY, _entry(date(2025, 9, 14))), "art17.certification_expired"
    )
    assert finding.article == "Art.17"
    assert "粤工信创新函〔2023〕12号" in finding.message and "2025年9月14日" in finding.message


def test_direct_entry_needs_the_certification() -> None:
    assert codes(_check(Route.DIRECT_ENTRY)) == ["art17.certification_missing"]


def test_direct_entry_certified_after_the_submission() -> None:
    entry = _entry(date(2028, 1, 1), certified_on=date(2025, 9, 16))
    assert codes(_check(Route.DIRECT_ENTRY, entry)) == ["art17.certification_not_yet_valid"]


def test_direct_entry_is_open_to_any_applicant_with_a_platform() -> None:
    assert _check(Route.DIRECT_ENTRY, _entry(date(2026, 1, 1)), **OUTSIDE) == []
