"""Art.9(4) with Art.12(4): one fitting financial paper out of the organisation's pool."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.findings import Finding
from registry.reference import OrgType
from registry.rules import EvidenceFacts
from registry.rules.finance import check_finance
from registry.seed_schema import EvidenceKind
from tests.unit.rules.builders import (
    applicant,
    audit_report,
    codes,
    only,
    patent,
    resource,
    submission,
)


def _check(
    *documents: EvidenceFacts, evidence: tuple[EvidenceFacts, ...] = (patent(),), **changes: Any
) -> list[Finding]:
    return check_finance(
        applicant=applicant(financial_documents=documents, **changes),
        resource=resource(evidence=evidence),
        submission=submission(),  # submitted on 2025-09-15
    )


def _statement(**changes: Any) -> EvidenceFacts:
    return audit_report(kind=EvidenceKind.FINANCIAL_STATEMENT, title="2024年度财务说明", **changes)


def test_audit_report_issued_one_year_before_passes() -> None:
    assert _check(audit_report(issued_on=date(2024, 9, 15))) == []


def test_audit_report_one_day_older_is_too_old() -> None:
    finding = only(_check(audit_report(issued_on=date(2024, 9, 14))), "art12.document_too_old")
    assert finding.article == "Art.12(4)"
    assert finding.loc == ("applicant", "financial_documents", 0)
    assert "出具日期为2024年9月14日" in finding.message
    assert "应不早于2024年9月15日" in finding.message


def test_older_reports_in_the_pool_are_history_not_faults() -> None:
    pool = (
        audit_report(title="2022年度财务审计报告", issued_on=date(2023, 4, 1)),
        audit_report(title="2023年度财务审计报告", issued_on=date(2024, 4, 1)),
        audit_report(title="2024年度财务审计报告", issued_on=date(2025, 4, 12)),
    )
    assert _check(*pool) == []


def test_a_report_issued_after_the_submission_does_not_count() -> None:
    later = audit_report(title="2025年度财务审计报告", issued_on=date(2026, 3, 20))
    assert _check(audit_report(), later) == []
    finding = only(_check(later), "art9.financial_document_missing")
    assert finding.article == "Art.9(4)"
    assert "2025年度财务审计报告" in finding.message
    assert "2026年3月20日出具）晚于申报日2025年9月15日，不适用于本次申报" in finding.message


def test_newest_stale_report_is_named() -> None:
    pool = (
        audit_report(title="2022年度财务审计报告", issued_on=date(2023, 4, 1)),
        audit_report(title="2023年度财务审计报告", issued_on=date(2024, 4, 1)),
    )
    finding = only(_check(*pool), "art12.document_too_old")
    assert finding.loc == ("applicant", "financial_documents", 1)
    assert "2023年度财务审计报告" in finding.message


def test_timely_report_needs_its_file() -> None:
    finding = only(_check(audit_report(has_file=False)), "art9.evidence_file_missing")
    assert (finding.article, finding.loc) == ("Art.9(4)", ("applicant", "financial_documents", 0))
    assert _check(audit_report(has_file=False), audit_report(issued_on=date(2025, 5, 1))) == []


def test_undated_report_is_not_assumed_timely() -> None:
    assert codes(_check(audit_report(issued_on=None))) == ["art12.date_missing"]


def test_enterprise_needs_the_audit_report() -> None:
    finding = only(_check(), "art9.financial_document_missing")
    assert finding.message == "未提供上年度财务审计报告。"
    assert finding.loc == ("applicant", "financial_documents")


def test_enterprise_may_not_replace_it_with_a_statement() -> None:
    finding = only(_check(_statement()), "art9.financial_document_missing")
    assert "财务说明材料仅限创新型中小企业" in finding.message


@pytest.mark.parametrize(
    "changes",
    [
        {"org_type": OrgType.UNIVERSITY},
        {"org_type": OrgType.RESEARCH_INSTITUTE},
        {"org_type": OrgType.NEW_RND_INSTITUTION},
        {"innovative_sme": True},
    ],
)
def test_innovation_subjects_may_give_a_statement(changes: dict[str, Any]) -> None:
    assert _check(_statement(), **changes) == []
    assert (
        "可提供财务说明材料" in only(_check(**changes), "art9.financial_document_missing").message
    )
    stale = only(
        _check(_statement(issued_on=date(2024, 1, 1)), **changes), "art12.document_too_old"
    )
    assert "请提供最近一期的财务审计报告或财务说明材料" in stale.message


def test_audit_report_among_the_resource_evidence_counts() -> None:
    assert _check(evidence=(patent(), audit_report())) == []
    finding = only(
        _check(evidence=(patent(), audit_report(has_file=False))), "art9.evidence_file_missing"
    )
    assert finding.loc == ("resource", "evidence", 1)


def test_undated_report_beside_a_later_one_is_named() -> None:
    later = audit_report(title="2025年度财务审计报告", issued_on=date(2026, 3, 20))
    finding = only(_check(later, audit_report(issued_on=None)), "art12.date_missing")
    assert finding.loc == ("applicant", "financial_documents", 1)
