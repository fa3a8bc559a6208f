"""A submission that passes every rule, and helpers to break exactly one thing in it.

The reference submission is made on 2025-09-15 (Asia/Shanghai) in batch 2025Q3, open
2025-07-01 to 2025-09-30; every date below is chosen relative to that.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from registry.findings import Finding
from registry.reference import Direction, Form, OrgType, Scale
from registry.rules import (
    ApplicantFacts,
    CaseFacts,
    EvidenceFacts,
    ResourceFacts,
    SubmissionFacts,
    check_submission,
)
from registry.rules.facts import SHANGHAI
from registry.seed_schema import EvidenceKind, Route
from registry.uscc import make_uscc

SUBMITTED_ON = date(2025, 9, 15)
OPENS_ON = date(2025, 7, 1)
DEADLINE_ON = date(2025, 9, 30)


def shanghai(day: date, at: time = time(10, 0)) -> datetime:
    """An aware datetime on `day` at `at`, Asia/Shanghai."""
    return datetime.combine(day, at, tzinfo=SHANGHAI)


def audit_report(**changes: Any) -> EvidenceFacts:
    base = EvidenceFacts(
        kind=EvidenceKind.AUDIT_REPORT,
        title="2024年度财务审计报告",
        number="粤审字〔2025〕第0412号",
        issued_on=date(2025, 4, 12),
        has_file=True,
    )
    return replace(base, **changes)


def patent(**changes: Any) -> EvidenceFacts:
    base = EvidenceFacts(
        kind=EvidenceKind.INVENTION_PATENT,
        title="一种基于机器视觉的注塑件缺陷检测方法",
        number="ZL202210123456.7",
        issued_on=date(2022, 5, 10),
        has_file=True,
    )
    return replace(base, **changes)


def case(n: int = 1, **changes: Any) -> CaseFacts:
    base = CaseFacts(
        title=f"注塑车间视觉质检改造{n}",
        client=f"佛山市某注塑企业{n}",
        implementation="部署 6 个工位的视觉检测与 MES 对接",
        results="漏检率由 3% 降至 0.2%",
        feedback="检测稳定，显著减少人工复检",
        completed_on=date(2025, 3, 1),
        feedback_on=date(2025, 6, 1),
    )
    return replace(base, **changes)


def applicant(**changes: Any) -> ApplicantFacts:
    base = ApplicantFacts(
        uscc=make_uscc("91440101MA59ABCD1"),
        name="广州某智能装备有限公司",
        org_type=OrgType.ENTERPRISE,
        scale=Scale.MEDIUM,
        city="广州市",
        province="广东省",
        independent_legal_person=True,
        operating_normally=True,
        facilities_and_team=True,
        sound_finance=True,
        business_since=date(2019, 6, 1),
        revenue={2023: 15_000_000, 2024: 12_000_000},
        financial_documents=(audit_report(),),
    )
    return replace(base, **changes)


def resource(**changes: Any) -> ResourceFacts:
    base = ResourceFacts(
        code="MP-001",
        title="注塑件视觉缺陷检测系统",
        directions=(Direction.MANUFACTURING, Direction.AI),
        form=Form.INTEGRATED_SOLUTION,
        industries=("C29", "C35"),
        summary="基于深度学习的注塑件表面缺陷在线检测",
        advantages="小样本训练，产线换型快",
        indicators="检出率 ≥ 99.5%，节拍 ≤ 0.8 s",
        scenarios="注塑、压铸件外观检测",
        evidence=(patent(),),
        cases=(case(1), case(2), case(3)),
    )
    return replace(base, **changes)


def submission(**changes: Any) -> SubmissionFacts:
    base = SubmissionFacts(
        batch_code="2025Q3",
        batch_opens_on=OPENS_ON,
        batch_deadline_on=DEADLINE_ON,
        submitted_at=shanghai(SUBMITTED_ON),
        route=Route.MUNICIPAL,
        commitment_signed=True,
    )
    return replace(base, **changes)


def findings_for(
    *,
    applicant_changes: dict[str, Any] | None = None,
    resource_changes: dict[str, Any] | None = None,
    submission_changes: dict[str, Any] | None = None,
) -> list[Finding]:
    """All findings for the reference submission with the given fields changed."""
    return check_submission(
        applicant=applicant(**(applicant_changes or {})),
        resource=resource(**(resource_changes or {})),
        submission=submission(**(submission_changes or {})),
    )


def codes(findings: list[Finding]) -> list[str]:
    """The codes of `findings`, in order."""
    return [finding.code for finding in findings]


def only(findings: list[Finding], code: str) -> Finding:
    """The single finding with `code` (fails the test when there are none or several)."""
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, f"expected one {code}, got {codes(findings)}"
    return matching[0]
