"""Art.7: years in the business with the waiver, revenue with its exemptions, clean record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.findings import Finding, Severity
from registry.reference import OrgType
from registry.rules import ViolationFacts
from registry.rules.art7 import check_conditions
from tests.unit.rules.builders import applicant, codes, only, shanghai, submission


def _check(
    *, on: date = date(2025, 9, 15), waiver: str | None = None, **changes: Any
) -> list[Finding]:
    return check_conditions(
        applicant=applicant(**changes),
        submission=submission(submitted_at=shanghai(on), years_waiver=waiver),
    )


# Art.7(1) years in the business


def test_exactly_two_years_on_the_submission_day_passes() -> None:
    assert _check(business_since=date(2023, 9, 15)) == []


def test_one_day_short_of_two_years() -> None:
    finding = only(_check(business_since=date(2023, 9, 16)), "art7.years_in_business_too_short")
    assert finding.article == "Art.7(1)"
    assert finding.loc == ("applicant", "business_since")
    assert "2023年9月16日起" in finding.message
    assert "2025年9月16日方满2年" in finding.message


def test_two_years_from_29_february() -> None:
    assert (
        _check(
            business_since=date(2024, 2, 29),
            on=date(2026, 2, 28),
            revenue={2024: 2 * 10**7, 2025: 2 * 10**7},
        )
        == []
    )
    findings = _check(
        business_since=date(2024, 2, 29),
        on=date(2026, 2, 27),
        revenue={2024: 2 * 10**7, 2025: 2 * 10**7},
    )
    assert codes(findings) == ["art7.years_in_business_too_short"]


def test_waiver_turns_the_shortfall_into_info_citing_the_reason() -> None:
    findings = _check(business_since=date(2024, 9, 1), waiver="固态电池干法电极工艺取得颠覆性突破")
    finding = only(findings, "art7.years_waived")
    assert finding.severity is Severity.INFO
    assert finding.article == "Art.7(1)"
    assert "固态电池干法电极工艺取得颠覆性突破" in finding.message
    assert not finding.blocking


def test_blank_waiver_is_no_waiver() -> None:
    findings = _check(business_since=date(2024, 9, 1), waiver="  ")
    assert codes(findings) == ["art7.years_in_business_too_short"]


def test_waiver_not_needed_says_nothing() -> None:
    assert _check(waiver="不需要") == []


def test_missing_start_of_business() -> None:
    assert codes(_check(business_since=None)) == ["art7.business_since_missing"]


# Art.7(2) revenue


def test_average_exactly_ten_million_passes() -> None:
    assert _check(revenue={2023: 9_000_000, 2024: 11_000_000}) == []


def test_average_half_a_yuan_below() -> None:
    finding = only(_check(revenue={2023: 9_999_999, 2024: 10_000_000}), "art7.revenue_too_low")
    assert finding.article == "Art.7(2)"
    assert "2023年 9,999,999 元、2024年 10,000,000 元" in finding.message
    assert "年均 9,999,999.50 元" in finding.message


def test_the_two_complete_years_before_the_submission_year() -> None:
    # submitted in January 2026: 2024 and 2025 count, 2023 and 2026 do not
    revenue = {2023: 50_000_000, 2024: 10_000_000, 2025: 10_000_000, 2026: 0}
    assert (
        codes(_check(on=date(2026, 1, 10), revenue=revenue, business_since=date(2019, 1, 1))) == []
    )
    revenue = {2023: 50_000_000, 2024: 5_000_000, 2025: 10_000_000}
    assert codes(_check(on=date(2026, 1, 10), revenue=revenue)) == ["art7.revenue_too_low"]


def test_missing_revenue_years_are_named() -> None:
    finding = only(_check(revenue={2024: 30_000_000}), "art7.revenue_missing")
    assert finding.blocking
    assert "缺少2023年营业收入" in finding.message
    finding = only(_check(revenue={}), "art7.revenue_missing")
    assert "缺少2023年、2024年营业收入" in finding.message


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"org_type": OrgType.UNIVERSITY}, "高等院校"),
        ({"org_type": OrgType.RESEARCH_INSTITUTE}, "科研院所"),
        ({"org_type": OrgType.NEW_RND_INSTITUTION}, "新型研发机构"),
        ({"innovative_sme": True}, "创新型中小企业"),
    ],
)
def test_innovation_subjects_are_exempt_with_an_info(changes: dict[str, Any], reason: str) -> None:
    finding = only(_check(revenue={}, **changes), "art7.revenue_exempt")
    assert finding.severity is Severity.INFO
    assert finding.article == "Art.7(2)"
    assert reason in finding.message


@pytest.mark.parametrize(
    "org_type", [OrgType.ENTERPRISE, OrgType.PROVINCIAL_SOE, OrgType.PUBLIC_INSTITUTION]
)
def test_others_are_not_exempt(org_type: OrgType) -> None:
    assert codes(_check(revenue={}, org_type=org_type)) == ["art7.revenue_missing"]


# Art.7(5) record


def test_major_violation_on_the_first_day_of_the_window() -> None:
    violation = ViolationFacts(date(2022, 9, 15), True, "虚开增值税发票被行政处罚")
    finding = only(_check(violations=(violation,)), "art7.major_violation")
    assert finding.article == "Art.7(5)"
    assert finding.loc == ("applicant", "violations", 0)
    assert "2022年9月15日" in finding.message and "虚开增值税发票" in finding.message


def test_major_violation_before_the_window_or_minor_ones_pass() -> None:
    old = ViolationFacts(date(2022, 9, 14), True, "旧案")
    minor = ViolationFacts(date(2025, 1, 1), False, "逾期申报")
    assert _check(violations=(old, minor)) == []


def test_abnormal_operation_list() -> None:
    finding = only(_check(abnormal_operation=True), "art7.abnormal_operation")
    assert finding.article == "Art.7(5)"


def test_dishonesty_list_fails_art7_5_too() -> None:
    assert codes(_check(dishonest_listed_on=date(2024, 1, 1))) == ["art7.dishonest_listed"]
    removed: dict[str, Any] = {
        "dishonest_listed_on": date(2023, 1, 1),
        "dishonest_removed_on": date(2024, 1, 1),
    }
    assert _check(**removed) == []  # the punishment period is Art.4(5)'s concern
