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

Located = tuple[tuple[str | int, ...], EvidenceFacts]


def all_documents(*, applicant: ApplicantFacts, resource: ResourceFacts) -> list[Located]:
    """Every document of a submission with its `loc`: the resource's, then the applicant's."""
    return [
        *((("resource", "evidence", i), doc) for i, doc in enumerate(resource.evidence)),
        *(
            (("applicant", "financial_documents", i), doc)
            for i, doc in enumerate(applicant.financial_documents)
        ),
    ]


def article_of(kind: EvidenceKind) -> str:
    """The Art.9 item under which a document of this kind is submitted."""
    if kind in QUALIFYING_KINDS:
        return "Art.9(3)"
    if kind in FINANCIAL_KINDS:
        return "Art.9(4)"
    return "Art.9(6)"
