"""Art.12 timeliness of every document and case, counted back from the submission date."""

from __future__ import annotations

from datetime import date

from registry.findings import Finding, Severity
from registry.rules.art9 import case_label
from registry.rules.documents import IP_KINDS, VALIDITY_KINDS, resource_documents
from registry.rules.facts import EvidenceFacts, ResourceFacts, SubmissionFacts
from registry.rules.periods import window_start
from registry.rules.wording import zh_date, zh_document
from registry.seed_schema import EvidenceKind

K = EvidenceKind
# kind -> (article, years back from the submission date, severity when older)
_AGE_LIMITS: dict[EvidenceKind, tuple[str, int, Severity]] = {
    **{kind: ("Art.12(2)", 5, Severity.ERROR) for kind in IP_KINDS},
    K.TEST_REPORT: ("Art.12(3)", 2, Severity.ERROR),
    # "等其他佐证文件": the 1-year rule plainly covers other supporting papers, but a standard
    # drafted years ago still proves the participation Art.7(3) rewards, so reviewers decide.
    K.STANDARD: ("Art.12(4)", 1, Severity.WARNING),
    K.OTHER: ("Art.12(4)", 1, Severity.WARNING),
}
_DATE_NAME = {
    **{kind: "授权日期" for kind in IP_KINDS},
    **{kind: "发证日期" for kind in VALIDITY_KINDS},
}
FEEDBACK_YEARS = 1  # Art.12(4): 用户反馈


def check_timeliness(*, resource: ResourceFacts, submission: SubmissionFacts) -> list[Finding]:
    """Art.12(1)-(4) for every evidence document and every case's feedback (finance: see there)."""
    on = submission.submitted_on
    findings = []
    for loc, doc in resource_documents(resource):
        findings += _document(doc, loc, on)
    for index, case in enumerate(resource.cases):
        loc = ("resource", "cases", index)
        findings += _case(case.completed_on, case.feedback_on, case_label(index, case), on, loc)
    return findings


def check_new_case(
    *, completed_on: date, feedback_on: date, label: str, on: date, loc: tuple[str | int, ...]
) -> list[Finding]:
    """Art.12(4) for a case added to a certified entry (资源信息变更申请), counted back from the
    day it is proposed: no date after that day, user feedback within the year before it."""
    return _case(completed_on, feedback_on, label, on, loc, day_name="变更申请日")


def _document(doc: EvidenceFacts, loc: tuple[str | int, ...], on: date) -> list[Finding]:
    name = zh_document(doc)
    if doc.issued_on is not None and doc.issued_on > on:
        return [_after(name, _date_name(doc.kind), doc.issued_on, on, loc)]
    findings = []
    if doc.kind in VALIDITY_KINDS and doc.expires_on is None:
        findings.append(
            Finding(
                "art12.validity_missing",
                "Art.12(1)",
                f"{name}未填写有效期截止日期，无法核查是否在有效期内。",
                loc=loc,
            )
        )
    if doc.expires_on is not None and doc.expires_on < on:  # valid through its last day
        findings.append(
            Finding(
                "art12.expired",
                "Art.12(1)",
                f"{name}有效期至{zh_date(doc.expires_on)}，申报日{zh_date(on)}已过期。",
                loc=loc,
            )
        )
    limit = _AGE_LIMITS.get(doc.kind)
    if limit is not None:
        findings += _age(doc, name, limit, loc, on)
    return findings


def _age(
    doc: EvidenceFacts,
    name: str,
    limit: tuple[str, int, Severity],
    loc: tuple[str | int, ...],
    on: date,
) -> list[Finding]:
    article, years, severity = limit
    label = _date_name(doc.kind)
    if doc.issued_on is None:
        if severity is not Severity.ERROR:
            return []
        return [
            Finding("art12.date_missing", article, f"{name}未填写{label}，无法核查时效。", loc=loc)
        ]
    start = window_start(on, years)
    if doc.issued_on >= start:
        return []
    return [
        Finding(
            "art12.document_too_old",
            article,
            f"{name}{label}为{zh_date(doc.issued_on)}，不在申报日{zh_date(on)}前"
            f"{years}年之内（应不早于{zh_date(start)}）。",
            severity,
            loc=loc,
        )
    ]


def _case(
    completed: date | None,
    feedback: date | None,
    label: str,
    on: date,
    loc: tuple[str | int, ...],
    *,
    day_name: str = "申报日",
) -> list[Finding]:
    for day, what in ((completed, "完成日期"), (feedback, "用户反馈日期")):
        if day is not None and day > on:
            return [_after(label, what, day, on, loc, day_name)]
    if feedback is None:  # reported by Art.9(2) as incomplete
        return []
    start = window_start(on, FEEDBACK_YEARS)
    if feedback >= start:
        return []
    return [
        Finding(
            "art12.feedback_too_old",
            "Art.12(4)",
            f"{label}的用户反馈日期为{zh_date(feedback)}，不在{day_name}{zh_date(on)}前"
            f"{FEEDBACK_YEARS}年之内（应不早于{zh_date(start)}）。",
            loc=loc,
        )
    ]


def _after(
    name: str, what: str, day: date, on: date, loc: tuple[str | int, ...], day_name: str = "申报日"
) -> Finding:
    return Finding(
        "art12.date_after_submission",
        "Art.12",
        f"{name}的{what}{zh_date(day)}晚于{day_name}{zh_date(on)}，请核对。",
        loc=loc,
    )


def _date_name(kind: EvidenceKind) -> str:
    return _DATE_NAME.get(kind, "出具日期")
