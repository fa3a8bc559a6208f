"""Art.4 preconditions: declarations, major accidents, the serious-dishonesty list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.findings import Finding
from registry.rules import AccidentFacts
from registry.rules.art4 import check_preconditions
from tests.unit.rules.builders import SUBMITTED_ON, applicant, codes, only, submission


def _check(**changes: Any) -> list[Finding]:
    return check_preconditions(applicant=applicant(**changes), submission=submission())


@pytest.mark.parametrize(
    ("field", "code", "article"),
    [
        ("independent_legal_person", "art4.not_independent_legal_person", "Art.4(1)"),
        ("operating_normally", "art4.not_operating_normally", "Art.4(1)"),
        ("facilities_and_team", "art4.no_facilities_or_team", "Art.4(2)"),
        ("sound_finance", "art4.finance_unsound", "Art.4(3)"),
    ],
)
def test_each_declaration(field: str, code: str, article: str) -> None:
    assert _check() == []
    finding = only(_check(**{field: False}), code)
    assert finding.article == article
    assert finding.loc == ("applicant", field)
    assert finding.blocking


def _accident(day: date, severity: str = "重大", kind: str = "安全生产") -> AccidentFacts:
    return AccidentFacts(day, kind, severity)


def test_major_accident_on_the_first_day_of_the_window_counts() -> None:
    # deadline 2025-09-30: the 3-year window opens on 2022-09-30
    findings = _check(accidents=(_accident(date(2022, 9, 30)),))
    finding = only(findings, "art4.major_accident")
    assert finding.article == "Art.4(4)"
    assert finding.loc == ("applicant", "accidents", 0)
    assert "2022年9月30日发生重大安全生产事故" in finding.message
    assert "申报截止日2025年9月30日" in finding.message


def test_major_accident_the_day_before_the_window_does_not_count() -> None:
    assert _check(accidents=(_accident(date(2022, 9, 29)),)) == []


def test_window_is_counted_from_the_batch_deadline_not_the_submission() -> None:
    # 2022-09-20 is within 3 years of the submission (2025-09-15) but not of the deadline
    assert _check(accidents=(_accident(date(2022, 9, 20)),)) == []


@pytest.mark.parametrize(
    ("severity", "counts"), [("一般", False), ("较大", False), ("重大", True), ("特别重大", True)]
)
def test_only_major_and_above(severity: str, counts: bool) -> None:
    findings = _check(accidents=(_accident(date(2024, 5, 1), severity, "环境保护"),))
    assert codes(findings) == (["art4.major_accident"] if counts else [])


def test_unknown_severity_is_not_guessed() -> None:
    finding = only(
        _check(accidents=(_accident(date(2024, 5, 1), "严重"),)), "art4.accident_severity_unknown"
    )
    assert "“严重”" in finding.message


def test_on_the_dishonesty_list() -> None:
    finding = only(_check(dishonest_listed_on=date(2024, 1, 5)), "art4.dishonest_listed")
    assert finding.article == "Art.4(5)"
    assert "2024年1月5日" in finding.message


def test_removed_on_the_submission_day_is_off_the_list() -> None:
    findings = _check(
        dishonest_listed_on=date(2024, 1, 5),
        dishonest_removed_on=SUBMITTED_ON,
        punishment_ends_on=date(2025, 9, 14),
    )
    assert findings == []


def test_removed_after_the_submission_day_is_still_listed() -> None:
    findings = _check(dishonest_listed_on=date(2024, 1, 5), dishonest_removed_on=date(2025, 9, 16))
    assert codes(findings) == ["art4.dishonest_listed"]


def test_punishment_running_through_the_submission_day_blocks() -> None:
    findings = _check(
        dishonest_listed_on=date(2023, 1, 5),
        dishonest_removed_on=date(2024, 1, 5),
        punishment_ends_on=SUBMITTED_ON,
    )
    finding = only(findings, "art4.punishment_not_over")
    assert "2025年9月15日届满" in finding.message
    assert "可于2025年9月16日起申报" in finding.message


def test_punishment_over_the_day_before_passes() -> None:
    findings = _check(
        dishonest_listed_on=date(2023, 1, 5),
        dishonest_removed_on=date(2024, 1, 5),
        punishment_ends_on=date(2025, 9, 14),
    )
    assert findings == []


def test_removed_without_punishment_end_is_not_guessed() -> None:
    findings = _check(dishonest_listed_on=date(2023, 1, 5), dishonest_removed_on=date(2024, 1, 5))
    assert codes(findings) == ["art4.punishment_end_unknown"]


def test_listing_after_the_submission_is_not_held_against_it() -> None:
    assert _check(dishonest_listed_on=date(2025, 9, 16)) == []
