"""Art.9(4) with Art.12(4): a financial paper on file that fits this submission.

The organisation's audit reports accumulate year after year, so the rule asks whether one of
them fits the submission rather than faulting the others: an acceptable kind (an audit report;
a financial statement too for the Art.7(2) innovation subjects), issued on or before the
submission date and within the year before it (Art.12(4)), with its file uploaded.
"""

from __future__ import annotations

from datetime import date

from registry.findings import Finding
from registry.rules.art7 import revenue_exemption
from registry.rules.documents import Loc, Located, financial_documents
from registry.rules.facts import ApplicantFacts, EvidenceFacts, ResourceFacts, SubmissionFacts
from registry.rules.periods import window_start
from registry.rules.wording import zh_date, zh_document
from registry.seed_schema import EvidenceKind

FINANCIAL_YEARS = 1  # Art.12(4): 财务审计报告…原则上在申报日期前1年之内
_ANY_FINANCIAL = frozenset({EvidenceKind.AUDIT_REPORT, EvidenceKind.FINANCIAL_STATEMENT})
_WANTED = {False: "财务审计报告", True: "财务审计报告或财务说明材料"}


def check_finance(
    *, applicant: ApplicantFacts, resource: ResourceFacts, submission: SubmissionFacts
) -> list[Finding]:
    """One finding when no acceptable, timely financial paper with a file is on file."""
    on = submission.submitted_on
    exemption = revenue_exemption(applicant)
    kinds = _ANY_FINANCIAL if exemption else frozenset({EvidenceKind.AUDIT_REPORT})
    pool = financial_documents(applicant=applicant, resource=resource)
    acceptable = [(loc, doc) for loc, doc in pool if doc.kind in kinds]
    usable = _existing_on(acceptable, on)
    start = window_start(on, FINANCIAL_YEARS)
    timely = [(loc, doc) for issued_on, loc, doc in usable if issued_on >= start]
    if any(doc.has_file for _, doc in timely):
        return []
    if timely:
        loc, doc = timely[0]
        return [_about(doc, loc, "art9.evidence_file_missing", "Art.9(4)", "未上传文件")]
    if usable:
        issued_on, loc, doc = usable[0]
        return [_too_old(doc, issued_on, loc, on, wanted=_WANTED[bool(exemption)])]
    undated = [(loc, doc) for loc, doc in acceptable if doc.issued_on is None]
    if undated:
        loc, doc = undated[0]
        return [_about(doc, loc, "art12.date_missing", "Art.12(4)", "未填写出具日期，无法核查时效")]
    return [_missing(exemption, pool, on)]


def _existing_on(documents: list[Located], on: date) -> list[tuple[date, Loc, EvidenceFacts]]:
    """Dated papers issued on or before `on`, newest first."""
    dated = [(doc.issued_on, loc, doc) for loc, doc in documents if doc.issued_on is not None]
    return sorted((item for item in dated if item[0] <= on), key=lambda item: item[0], reverse=True)


def _about(doc: EvidenceFacts, loc: Loc, code: str, article: str, problem: str) -> Finding:
    return Finding(code, article, f"{zh_document(doc)}{problem}。", loc=loc)


def _too_old(doc: EvidenceFacts, issued_on: date, loc: Loc, on: date, *, wanted: str) -> Finding:
    start = window_start(on, FINANCIAL_YEARS)
    return Finding(
        "art12.document_too_old",
        "Art.12(4)",
        f"{zh_document(doc)}出具日期为{zh_date(issued_on)}，不在申报日{zh_date(on)}前"
        f"{FINANCIAL_YEARS}年之内（应不早于{zh_date(start)}），请提供最近一期的{wanted}。",
        loc=loc,
    )


def _missing(exemption: str | None, pool: list[Located], on: date) -> Finding:
    if exemption:
        message = f"未提供上年度财务审计报告或财务说明材料（{exemption}，可提供财务说明材料）"
    elif any(doc.kind is EvidenceKind.FINANCIAL_STATEMENT for _, doc in pool):
        message = (
            "未提供上年度财务审计报告；财务说明材料仅限创新型中小企业、高等院校、科研院所、"
            "新型研发机构代替审计报告"
        )
    else:
        message = "未提供上年度财务审计报告"
    later = [doc for _, doc in pool if doc.issued_on is not None and doc.issued_on > on]
    if later:
        names = "、".join(
            f"{zh_document(d)}（{zh_date(d.issued_on)}出具）" for d in later if d.issued_on
        )
        message += f"；{names}晚于申报日{zh_date(on)}，不适用于本次申报"
    return Finding(
        "art9.financial_document_missing",
        "Art.9(4)",
        f"{message}。",
        loc=("applicant", "financial_documents"),
    )
