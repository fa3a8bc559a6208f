"""Art.12 timeliness of every document and case, at the exact boundary days."""

from __future__ import annotations

from datetime import date

import pytest

from registry.findings import Finding, Severity
from registry.rules import CaseFacts, EvidenceFacts
from registry.rules.art12 import check_timeliness
from registry.seed_schema import EvidenceKind
from tests.unit.rules.builders import (
    audit_report,
    case,
    codes,
    only,
    patent,
    resource,
    submission,
)

K = EvidenceKind


def _check(
    *evidence: EvidenceFacts,
    cases: tuple[CaseFacts, ...] = (),
) -> list[Finding]:
    return check_timeliness(
        resource=resource(evidence=evidence, cases=cases),
        submission=submission(),  # submitted on 2025-09-15
    )


def _doc(
    kind: EvidenceKind, issued_on: date | None, expires_on: date | None = None
) -> EvidenceFacts:
    return EvidenceFacts(
        kind=kind, title="佐证", issued_on=issued_on, expires_on=expires_on, has_file=True
    )


def test_reference_is_timely() -> None:
    base = resource()
    assert check_timeliness(resource=base, submission=submission()) == []


@pytest.mark.parametrize("kind", [K.QUALIFICATION, K.CERTIFICATION, K.INNOVATION_PLATFORM])
def test_valid_through_the_submission_day(kind: EvidenceKind) -> None:
    assert _check(_doc(kind, date(2022, 1, 1), date(2025, 9, 15))) == []
    finding = only(_check(_doc(kind, date(2022, 1, 1), date(2025, 9, 14))), "art12.expired")
    assert finding.article == "Art.12(1)"
    assert finding.loc == ("resource", "evidence", 0)
    assert "有效期至2025年9月14日，申报日2025年9月15日已过期" in finding.message


def test_certificate_without_expiry_is_not_assumed_valid() -> None:
    finding = only(_check(_doc(K.QUALIFICATION, date(2024, 1, 1))), "art12.validity_missing")
    assert finding.article == "Art.12(1)"


@pytest.mark.parametrize(
    ("kind", "article", "oldest", "label"),
    [
        (K.INVENTION_PATENT, "Art.12(2)", date(2020, 9, 15), "授权日期"),
        (K.UTILITY_PATENT, "Art.12(2)", date(2020, 9, 15), "授权日期"),
        (K.SOFTWARE_COPYRIGHT, "Art.12(2)", date(2020, 9, 15), "授权日期"),
        (K.TEST_REPORT, "Art.12(3)", date(2023, 9, 15), "出具日期"),
    ],
)
def test_age_limits_at_the_boundary(
    kind: EvidenceKind, article: str, oldest: date, label: str
) -> None:
    assert _check(_doc(kind, oldest)) == []
    day_before = date.fromordinal(oldest.toordinal() - 1)
    finding = only(_check(_doc(kind, day_before)), "art12.document_too_old")
    assert finding.article == article
    assert finding.severity is Severity.ERROR
    assert f"{label}为{day_before.year}年{day_before.month}月{day_before.day}日" in finding.message
    assert f"应不早于{oldest.year}年{oldest.month}月{oldest.day}日" in finding.message


@pytest.mark.parametrize("kind", [K.STANDARD, K.OTHER])
def test_other_supporting_papers_older_than_a_year_warn(kind: EvidenceKind) -> None:
    assert _check(_doc(kind, date(2024, 9, 15))) == []
    finding = only(_check(_doc(kind, date(2024, 9, 14))), "art12.document_too_old")
    assert (finding.article, finding.severity) == ("Art.12(4)", Severity.WARNING)
    assert _check(_doc(kind, None)) == []


def test_missing_grant_date() -> None:
    finding = only(_check(patent(issued_on=None)), "art12.date_missing")
    assert finding.article == "Art.12(2)"
    assert "未填写授权日期" in finding.message


def test_document_dated_after_the_submission() -> None:
    finding = only(_check(patent(issued_on=date(2025, 9, 16))), "art12.date_after_submission")
    assert finding.article == "Art.12"
    assert "授权日期2025年9月16日晚于申报日2025年9月15日" in finding.message


def test_patent_whose_term_ended() -> None:
    expired = patent(issued_on=date(2021, 1, 1), expires_on=date(2025, 1, 1))
    assert codes(_check(expired)) == ["art12.expired"]


def test_feedback_within_one_year() -> None:
    assert _check(cases=(case(1, feedback_on=date(2024, 9, 15)),)) == []
    finding = only(
        _check(cases=(case(1), case(2, feedback_on=date(2024, 9, 14)))), "art12.feedback_too_old"
    )
    assert finding.article == "Art.12(4)"
    assert finding.loc == ("resource", "cases", 1)
    assert "案例 2《注塑车间视觉质检改造2》的用户反馈日期为2024年9月14日" in finding.message


def test_case_dates_after_the_submission() -> None:
    late = case(1, completed_on=date(2025, 9, 20), feedback_on=date(2025, 9, 25))
    finding = only(_check(cases=(late,)), "art12.date_after_submission")
    assert "完成日期2025年9月20日" in finding.message


def test_every_document_is_checked_not_just_the_first() -> None:
    findings = _check(
        patent(),
        _doc(K.TEST_REPORT, date(2020, 1, 1)),
        _doc(K.CERTIFICATION, date(2020, 1, 1), date(2024, 1, 1)),
        audit_report(issued_on=date(2023, 1, 1)),  # pooled: the finance rule judges it
    )
    assert [f.loc for f in findings] == [
        ("resource", "evidence", 1),
        ("resource", "evidence", 2),
    ]
