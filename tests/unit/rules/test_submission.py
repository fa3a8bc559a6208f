"""check_submission as a whole: the reference passes, every finding is well-formed, all at once."""

from __future__ import annotations

import re
from datetime import date

from registry.findings import Severity, article_zh
from registry.reference import OrgType
from registry.rules import blocking
from tests.unit.rules.builders import (
    DEADLINE_ON,
    case,
    codes,
    findings_for,
    patent,
    shanghai,
)

CODE = re.compile(r"^art\d+\.[a-z_]+$")
ARTICLE = re.compile(r"^Art\.\d+(\(\d\))?$")


def test_reference_submission_passes_every_rule() -> None:
    assert findings_for() == []


def test_everything_wrong_is_reported_at_once() -> None:
    findings = findings_for(
        applicant_changes={"revenue": {2023: 1_000_000, 2024: 2_000_000}},
        resource_changes={
            "cases": (case(1), case(2, feedback=""), case(3)),
            "evidence": (patent(issued_on=date(2019, 1, 1)),),
        },
        submission_changes={
            "submitted_at": shanghai(date(2025, 10, 1)),
            "commitment_signed": False,
        },
    )
    assert set(codes(findings)) == {
        "art7.revenue_too_low",
        "art9.case_incomplete",
        "art9.commitment_missing",
        "art11.after_deadline",
        "art12.document_too_old",
    }
    assert all(f.blocking for f in findings)


def test_every_finding_has_stable_code_article_chinese_message_and_loc() -> None:
    findings = findings_for(
        applicant_changes={
            "uscc": "91440101MA59ABCD10",
            "independent_legal_person": False,
            "abnormal_operation": True,
            "business_since": None,
            "financial_documents": (),
            "org_type": OrgType.UNIVERSITY,
        },
        resource_changes={"directions": ("元宇宙",), "form": None, "cases": (), "evidence": ()},
        submission_changes={"submitted_at": shanghai(DEADLINE_ON.replace(day=29))},
    )
    assert len(findings) >= 8
    for finding in findings:
        assert CODE.match(finding.code), finding.code
        assert ARTICLE.match(finding.article), finding.article
        assert article_zh(finding.article).startswith("第")
        assert re.search(r"[\u4e00-\u9fff]", finding.message), finding.message
        assert finding.message.endswith("。"), finding.message
        assert finding.loc and finding.loc[0] in {"applicant", "resource", "submission"}


def test_blocking_keeps_errors_and_drops_info() -> None:
    findings = findings_for(applicant_changes={"org_type": OrgType.RESEARCH_INSTITUTE})
    assert [(f.code, f.severity) for f in findings] == [("art7.revenue_exempt", Severity.INFO)]
    assert blocking(findings) == []
