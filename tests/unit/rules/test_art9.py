"""Art.9 completeness: each missing piece is named, case by case and document by document."""

from __future__ import annotations

from typing import Any

import pytest

from registry.findings import Finding
from registry.reference import OrgType
from registry.rules import EvidenceFacts
from registry.rules.art9 import check_completeness
from registry.seed_schema import EvidenceKind
from tests.unit.rules.builders import (
    applicant,
    audit_report,
    case,
    codes,
    only,
    patent,
    resource,
    submission,
)


def _check(
    *,
    applicant_changes: dict[str, Any] | None = None,
    commitment: bool = True,
    **changes: Any,
) -> list[Finding]:
    return check_completeness(
        applicant=applicant(**(applicant_changes or {})),
        resource=resource(**changes),
        submission=submission(commitment_signed=commitment),
    )


def test_reference_is_complete() -> None:
    assert _check() == []


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("summary", "技术简介"),
        ("advantages", "核心优势"),
        ("indicators", "性能指标"),
        ("scenarios", "应用场景"),
    ],
)
@pytest.mark.parametrize("empty", [None, "", " \n"])
def test_resource_information(field: str, label: str, empty: str | None) -> None:
    changes: dict[str, Any] = {field: empty}
    finding = only(_check(**changes), "art9.resource_info_missing")
    assert finding.article == "Art.9(1)"
    assert finding.loc == ("resource", field)
    assert finding.message == f"缺少赋能资源的{label}。"


def test_directions_and_industries() -> None:
    assert codes(_check(directions=())) == ["art9.directions_missing"]
    assert codes(_check(industries=())) == ["art9.industries_missing"]
    finding = only(_check(industries=("C35", "C44")), "art9.industry_invalid")
    assert finding.loc == ("resource", "industries", 1)
    assert "“C44”" in finding.message


def test_three_cases_pass_and_two_are_too_few() -> None:
    assert _check(cases=(case(1), case(2), case(3), case(4))) == []
    finding = only(_check(cases=(case(1), case(2))), "art9.cases_too_few")
    assert finding.article == "Art.9(2)"
    assert finding.message == "典型案例需 3 个及以上，现有 2 个，还缺 1 个。"
    assert "现有 0 个，还缺 3 个" in only(_check(cases=()), "art9.cases_too_few").message


def test_each_incomplete_case_says_what_it_lacks() -> None:
    cases = (
        case(1),
        case(2, feedback="", feedback_on=None),
        case(3, client=None, implementation=" ", results=None, completed_on=None, title=""),
    )
    findings = _check(cases=cases)
    assert codes(findings) == ["art9.case_incomplete", "art9.case_incomplete"]
    second, third = findings
    assert second.loc == ("resource", "cases", 1)
    assert second.message == "案例 2《注塑车间视觉质检改造2》缺少：用户反馈、用户反馈日期。"
    assert third.message == "案例 3（未命名）缺少：服务对象、实施情况、取得成效、完成日期。"


@pytest.mark.parametrize(
    "kind",
    [
        EvidenceKind.UTILITY_PATENT,
        EvidenceKind.SOFTWARE_COPYRIGHT,
        EvidenceKind.QUALIFICATION,
        EvidenceKind.INNOVATION_PLATFORM,
        EvidenceKind.STANDARD,
        EvidenceKind.CERTIFICATION,
        EvidenceKind.TEST_REPORT,
    ],
)
def test_any_art9_3_kind_is_enough(kind: EvidenceKind) -> None:
    assert _check(evidence=(patent(kind=kind),)) == []


def test_no_qualifying_evidence() -> None:
    other = EvidenceFacts(kind=EvidenceKind.OTHER, title="媒体报道", has_file=True)
    finding = only(_check(evidence=(other,)), "art9.evidence_missing")
    assert finding.article == "Art.9(3)"
    assert finding.loc == ("resource", "evidence")


def test_every_document_needs_a_file() -> None:
    findings = _check(
        evidence=(patent(), patent(has_file=False)),
        applicant_changes={"financial_documents": (audit_report(has_file=False),)},
    )
    assert codes(findings) == ["art9.evidence_file_missing", "art9.evidence_file_missing"]
    ip, audit = findings
    assert (ip.article, ip.loc) == ("Art.9(3)", ("resource", "evidence", 1))
    assert (
        "发明专利《一种基于机器视觉的注塑件缺陷检测方法》（ZL202210123456.7）未上传文件"
        in ip.message
    )
    assert (audit.article, audit.loc) == ("Art.9(4)", ("applicant", "financial_documents", 0))


def _statement() -> EvidenceFacts:
    return audit_report(kind=EvidenceKind.FINANCIAL_STATEMENT, title="2024年度财务说明")


def test_enterprise_needs_the_audit_report() -> None:
    finding = only(
        _check(applicant_changes={"financial_documents": ()}), "art9.financial_document_missing"
    )
    assert finding.article == "Art.9(4)"
    assert finding.message == "未提供上年度财务审计报告。"


def test_enterprise_may_not_replace_it_with_a_statement() -> None:
    findings = _check(applicant_changes={"financial_documents": (_statement(),)})
    assert (
        "财务说明材料仅限创新型中小企业"
        in only(findings, "art9.financial_document_missing").message
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"org_type": OrgType.UNIVERSITY},
        {"org_type": OrgType.NEW_RND_INSTITUTION},
        {"innovative_sme": True},
    ],
)
def test_innovation_subjects_may_give_a_statement(changes: dict[str, Any]) -> None:
    assert _check(applicant_changes={**changes, "financial_documents": (_statement(),)}) == []
    findings = _check(applicant_changes={**changes, "financial_documents": ()})
    assert "可提供财务说明材料" in only(findings, "art9.financial_document_missing").message


def test_audit_report_among_the_resource_evidence_counts() -> None:
    findings = _check(
        evidence=(patent(), audit_report()), applicant_changes={"financial_documents": ()}
    )
    assert findings == []


def test_commitment() -> None:
    finding = only(_check(commitment=False), "art9.commitment_missing")
    assert finding.article == "Art.9(5)"
    assert finding.loc == ("submission", "commitment_signed")
