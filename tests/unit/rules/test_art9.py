"""Art.9 completeness: each missing piece is named, case by case and document by document."""

from __future__ import annotations

from typing import Any

import pytest

from registry.findings import Finding
from registry.rules import EvidenceFacts
from registry.rules.art9 import check_completeness
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


def _check(*, commitment: bool = True, **changes: Any) -> list[Finding]:
    return check_completeness(
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
    other = EvidenceFacts(kind=EvidenceKind.OTHER, title="媒体报道", has_file=False)
    findings = _check(evidence=(patent(), patent(has_file=False), other))
    assert codes(findings) == ["art9.evidence_file_missing", "art9.evidence_file_missing"]
    ip, extra = findings
    assert (ip.article, ip.loc) == ("Art.9(3)", ("resource", "evidence", 1))
    assert (
        "发明专利《一种基于机器视觉的注塑件缺陷检测方法》（ZL202210123456.7）未上传文件"
        in ip.message
    )
    assert (extra.article, extra.loc) == ("Art.9(6)", ("resource", "evidence", 2))


def test_financial_papers_are_left_to_the_finance_rule() -> None:
    assert _check(evidence=(patent(), audit_report(has_file=False))) == []


def test_commitment() -> None:
    finding = only(_check(commitment=False), "art9.commitment_missing")
    assert finding.article == "Art.9(5)"
    assert finding.loc == ("submission", "commitment_signed")
