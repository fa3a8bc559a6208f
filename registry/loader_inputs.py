"""Turning seed-file models (`registry.seed_schema`) into service inputs and placeholder files."""

from __future__ import annotations

from registry import seed_schema as seed
from registry.inputs import (
    AccidentInput,
    CaseInput,
    DirectEntryInput,
    EvidenceInput,
    OrganisationInput,
    ResourceInput,
    UploadedFile,
    ViolationInput,
)
from registry.rules.facts import AccidentKind, AccidentSeverity


def organisation_input(org: seed.Organisation) -> OrganisationInput:
    """The registration data of a seed organisation."""
    return OrganisationInput(
        uscc=org.uscc, name=org.name, org_type=org.org_type, scale=org.scale, city=org.city,
        province=org.province, address=org.address,
        guangdong_operations=org.guangdong_operations, established_on=org.established_on,
        business_since=org.business_since, employees=org.employees,
        contact_name=org.contact.name, contact_phone=org.contact.phone,
        contact_email=org.contact.email, innovative_sme=org.innovative_sme,
        revenue=tuple(sorted(org.revenue.items())),
        independent_legal_person=org.declarations.independent_legal_person,
        operating_normally=org.declarations.operating_normally,
        facilities_and_team=org.declarations.facilities_and_team,
        sound_finance=org.declarations.sound_finance,
        dishonest_listed_on=org.credit.dishonest_listed_on,
        dishonest_removed_on=org.credit.dishonest_removed_on,
        punishment_ends_on=org.credit.punishment_ends_on,
        abnormal_operation=org.credit.abnormal_operation,
        accidents=tuple(
            AccidentInput(occurred_on=a.occurred_on, kind=AccidentKind(a.kind),
                          severity=AccidentSeverity(a.severity), description=a.description)
            for a in org.accidents
        ),
        violations=tuple(
            ViolationInput(occurred_on=v.occurred_on, major=v.major, description=v.description)
            for v in org.violations
        ),
    )  # fmt: skip


def resource_input(resource: seed.Resource, consortium_uscc: tuple[str, ...]) -> ResourceInput:
    """The Art.9(1) information of a seed resource."""
    return ResourceInput(
        code=resource.code, title=resource.title, directions=resource.directions,
        form=resource.form, industries=resource.industries, summary=resource.summary,
        advantages=resource.advantages, indicators=resource.indicators,
        scenarios=resource.scenarios, keywords=resource.keywords,
        consortium_uscc=consortium_uscc,
    )  # fmt: skip


def case_input(case: seed.Case) -> CaseInput:
    """An Art.9(2) case of a seed resource."""
    return CaseInput(
        title=case.title, client=case.client, client_city=case.client_city,
        client_industry=case.client_industry, started_on=case.started_on,
        completed_on=case.completed_on, implementation=case.implementation,
        results=case.results, feedback=case.feedback, feedback_on=case.feedback_on,
    )  # fmt: skip


def evidence_input(evidence: seed.Evidence) -> EvidenceInput:
    """The metadata of a seed evidence document."""
    return EvidenceInput(
        kind=evidence.kind, title=evidence.title, issued_on=evidence.issued_on,
        number=evidence.number, expires_on=evidence.expires_on, issuer=evidence.issuer,
    )  # fmt: skip


def direct_entry_input(entry: seed.DirectEntry | None) -> DirectEntryInput | None:
    """The Art.17 platform certification of a seed application, if any."""
    if entry is None:
        return None
    return DirectEntryInput(
        platform=entry.platform, document=entry.document, certified_on=entry.certified_on,
        valid_until=entry.valid_until,
    )  # fmt: skip


def placeholder(kind: str, title: str, owner: str, number: str | None = None) -> UploadedFile:
    """A small generated text file standing in for a scanned document of the demo."""
    lines = [
        "演示数据占位文件（非真实文件）",
        f"材料类型：{kind}",
        f"材料名称：{title}",
        f"所属单位：{owner}",
    ]
    if number:
        lines.append(f"编号：{number}")
    safe = "".join(ch if ch.isalnum() else "-" for ch in (number or title))[:60]
    return UploadedFile(
        filename=f"{kind}-{safe}.txt",
        content=("\n".join(lines) + "\n").encode("utf-8"),
        content_type="text/plain; charset=utf-8",
    )
