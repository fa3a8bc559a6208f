"""Evidence documents (Art.9(3)-(4)) with their files: bytes stored, checksum recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.audit import record, snapshot
from registry.enums import Role
from registry.errors import InvalidInput
from registry.inputs import EvidenceInput, UploadedFile
from registry.models.resources import EvidenceDocument
from registry.seed_schema import EvidenceKind
from registry.services.files import store_file
from registry.services.resources import editable_resource
from registry.storage import FileStore

FINANCIAL_KINDS = frozenset({EvidenceKind.AUDIT_REPORT, EvidenceKind.FINANCIAL_STATEMENT})


def add_evidence(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    store: FileStore,
    organisation_id: int,
    resource_id: int | None,
    data: EvidenceInput,
    upload: UploadedFile,
) -> EvidenceDocument:
    """Add an evidence document with its file; financial documents belong to the organisation."""
    _check(session, actor, organisation_id, resource_id, data)
    stored = store_file(session=session, store=store, upload=upload, now=now)
    document = EvidenceDocument(
        organisation_id=organisation_id,
        resource_id=resource_id,
        kind=data.kind,
        title=data.title,
        number=data.number,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        issuer=data.issuer,
        file_id=stored.id,
        created_at=now,
    )
    session.add(document)
    session.flush()
    after = snapshot(document, ("kind", "title", "issued_on", "expires_on"))
    after |= {"sha256": stored.sha256, "size_bytes": stored.size_bytes}
    record(
        session,
        actor=actor,
        now=now,
        action="evidence.create",
        object_type="evidence",
        object_id=document.id,
        after=after,
    )
    return document


def _check(
    session: Session,
    actor: Actor,
    organisation_id: int,
    resource_id: int | None,
    data: EvidenceInput,
) -> None:
    require_role(actor, Role.PROVIDER, Role.ADMIN)
    if actor.role is Role.PROVIDER:
        require_organisation(actor, organisation_id)
    if (data.kind in FINANCIAL_KINDS) != (resource_id is None):
        raise InvalidInput(
            "财务材料属于申报单位，其他佐证材料属于某一赋能资源",
            code="evidence_owner",
            article="Art.9",
            loc=("resource_id",),
        )
    if resource_id is not None:
        resource = editable_resource(session, actor, resource_id)
        if resource.organisation_id != organisation_id:
            raise InvalidInput("资源不属于该申报单位", code="evidence_owner", loc=("resource_id",))
    if data.expires_on is not None and data.expires_on <= data.issued_on:
        raise InvalidInput(
            "有效期截止日期必须晚于发证日期",
            code="evidence_dates_order",
            article="Art.12(1)",
            loc=("expires_on",),
        )
