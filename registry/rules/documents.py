"""Evidence documents grouped the way Art.9 asks for them and Art.12 dates them."""

from __future__ import annotations

from registry.rules.facts import ApplicantFacts, EvidenceFacts, ResourceFacts
from registry.seed_schema import EvidenceKind

K = EvidenceKind
IP_KINDS = frozenset({K.INVENTION_PATENT, K.UTILITY_PATENT, K.SOFTWARE_COPYRIGHT})
# Art.12(1): 资质证书、认证文件 — valid on the submission date.
VALIDITY_KINDS = frozenset({K.QUALIFICATION, K.INNOVATION_PLATFORM, K.CERTIFICATION})
# Art.9(3): qualifications, IP, standards, certifications and test reports.
QUALIFYING_KINDS = IP_KINDS | VALIDITY_KINDS | {K.STANDARD, K.TEST_REPORT}
# Art.9(4): last year's audit report, or a financial statement from an exempt applicant.
FINANCIAL_KINDS = frozenset({K.AUDIT_REPORT, K.FINANCIAL_STATEMENT})

Loc = tuple[str | int, ...]
Located = tuple[Loc, EvidenceFacts]


def resource_documents(resource: ResourceFacts) -> list[Located]:
    """The resource's own evidence with its `loc`; financial papers are pooled separately."""
    return [
        (("resource", "evidence", i), doc)
        for i, doc in enumerate(resource.evidence)
        if doc.kind not in FINANCIAL_KINDS
    ]


def financial_documents(*, applicant: ApplicantFacts, resource: ResourceFacts) -> list[Located]:
    """Every audit report and financial statement on file: the organisation's, then the resource's.

    They form a pool that grows year by year; Art.9(4) needs one fitting the submission, and the
    others are history rather than faults.
    """
    return [
        *(
            (("applicant", "financial_documents", i), doc)
            for i, doc in enumerate(applicant.financial_documents)
            if doc.kind in FINANCIAL_KINDS
        ),
        *(
            (("resource", "evidence", i), doc)
            for i, doc in enumerate(resource.evidence)
            if doc.kind in FINANCIAL_KINDS
        ),
    ]


def article_of(kind: EvidenceKind) -> str:
    """The Art.9 item under which a document of this kind is submitted."""
    if kind in QUALIFYING_KINDS:
        return "Art.9(3)"
    if kind in FINANCIAL_KINDS:
        return "Art.9(4)"
    return "Art.9(6)"
