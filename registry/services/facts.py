"""Building the rules' frozen facts from ORM rows (the rules never touch the database)."""

from __future__ import annotations

from datetime import datetime

from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import EvidenceDocument, Resource
from registry.rules.facts import (
    AccidentFacts,
    ApplicantFacts,
    BanFacts,
    CaseFacts,
    DirectEntryFacts,
    EvidenceFacts,
    ResourceFacts,
    SubmissionFacts,
    ViolationFacts,
)


def evidence_facts(document: EvidenceDocument) -> EvidenceFacts:
    """Facts of one evidence document; `has_file` is true when a stored file is linked."""
    return EvidenceFacts(
        kind=document.kind,
        title=document.title,
        number=document.number,
        issued_on=document.issued_on,
        expires_on=document.expires_on,
        has_file=document.file_id is not None,
    )


def applicant_facts(org: Organisation, financial: list[EvidenceDocument]) -> ApplicantFacts:
    """Facts of an applicant: registration, declarations, credit, history, bans, finance."""
    return ApplicantFacts(
        uscc=org.uscc,
        name=org.name,
        org_type=org.org_type,
        innovative_sme=org.innovative_sme,
        scale=org.scale,
        city=org.city,
        province=org.province,
        independent_legal_person=org.independent_legal_person,
        operating_normally=org.operating_normally,
        facilities_and_team=org.facilities_and_team,
        sound_finance=org.sound_finance,
        business_since=org.business_since,
        revenue={r.year: r.amount_cny for r in org.revenues},
        dishonest_listed_on=org.dishonest_listed_on,
        dishonest_removed_on=org.dishonest_removed_on,
        punishment_ends_on=org.punishment_ends_on,
        abnormal_operation=org.abnormal_operation,
        accidents=tuple(
            AccidentFacts(occurred_on=a.occurred_on, kind=a.kind.value, severity=a.severity.value)
            for a in org.accidents
        ),
        violations=tuple(
            ViolationFacts(occurred_on=v.occurred_on, major=v.major, description=v.description)
            for v in org.violations
        ),
        bans=tuple(
            BanFacts(starts_on=b.starts_on, ends_on=b.ends_on, reason=b.reason, article=b.article)
            for b in org.bans
        ),
        financial_documents=tuple(evidence_facts(d) for d in financial),
    )


def resource_facts(resource: Resource) -> ResourceFacts:
    """Facts of a resource with its cases and evidence."""
    return ResourceFacts(
        code=resource.code,
        title=resource.title,
        directions=tuple(d.value for d in resource.direction_values),
        form=resource.form.value,
        industries=tuple(resource.industry_codes),
        summary=resource.summary,
        advantages=resource.advantages,
        indicators=resource.indicators,
        scenarios=resource.scenarios,
        consortium=tuple(m.organisation.name for m in resource.consortium),
        evidence=tuple(evidence_facts(d) for d in resource.evidence),
        cases=tuple(
            CaseFacts(
                title=c.title,
                client=c.client,
                implementation=c.implementation,
                results=c.results,
                feedback=c.feedback,
                completed_on=c.completed_on,
                feedback_on=c.feedback_on,
            )
            for c in resource.cases
        ),
    )


def submission_facts(
    application: Application, *, submitted_at: datetime, commitment_signed: bool
) -> SubmissionFacts:
    """Facts of the act of submitting `application` at `submitted_at`."""
    batch = application.batch
    return SubmissionFacts(
        batch_code=batch.code,
        batch_opens_on=batch.opens_on,
        batch_deadline_on=batch.deadline_on,
        submitted_at=submitted_at,
        route=application.route,
        commitment_signed=commitment_signed,
        years_waiver=application.years_waiver_reason,
        direct_entry=_direct_entry(application),
    )


def _direct_entry(application: Application) -> DirectEntryFacts | None:
    name, document = application.platform_name, application.platform_document
    certified_on, valid_until = application.platform_certified_on, application.platform_valid_until
    if name is None or document is None or certified_on is None or valid_until is None:
        return None
    return DirectEntryFacts(
        platform=name, document=document, certified_on=certified_on, valid_until=valid_until
    )
