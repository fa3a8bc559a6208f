"""Entry change requests (资源信息变更申请) as the API reads and sends them: the provider's
proposal (new texts, new cases, why) and the request with a field-by-field before/after."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from api.schemas.resources import CaseCreate
from registry.models.changes import CHANGEABLE_FIELDS, EntryChange, EntryChangeStatus
from registry.services import entry_changes
from registry.services.entry_changes import EntryChangeInput

_TEXT = 20000  # the resource's own limit (`ResourceUpdate`)


class EntryChangeCreate(InputSchema):
    """New texts (only those that change) and new cases of one library entry, with the reason."""

    summary: str | None = Field(default=None, max_length=_TEXT, description="技术简介")
    advantages: str | None = Field(default=None, max_length=_TEXT, description="核心优势")
    indicators: str | None = Field(default=None, max_length=_TEXT, description="性能指标")
    scenarios: str | None = Field(default=None, max_length=_TEXT, description="应用场景")
    new_cases: list[CaseCreate] = Field(default_factory=list, max_length=20, description="新增案例")
    explanation: str = Field(min_length=1, max_length=4000, description="变更说明")

    def to_input(self) -> EntryChangeInput:
        """The registry's input."""
        return EntryChangeInput(
            explanation=self.explanation,
            summary=self.summary,
            advantages=self.advantages,
            indicators=self.indicators,
            scenarios=self.scenarios,
            new_cases=tuple(c.to_input() for c in self.new_cases),
        )


class ApprovalCreate(InputSchema):
    """The province's approval; `expected_version` guards against a colleague's decision."""

    note: str = Field(default="", max_length=4000)
    expected_version: int | None = Field(default=None, ge=1)


class RejectionCreate(InputSchema):
    """The province's rejection with its reason."""

    reason: str = Field(min_length=1, max_length=4000)
    expected_version: int | None = Field(default=None, ge=1)


class FieldChangeRead(ReadSchema):
    """One text of the resource: before and after the change, and whether it changes."""

    field: str
    label: str
    before: str
    after: str
    changed: bool


class EntryChangeRead(ReadSchema):
    """A change request and where it is, with every text before and after."""

    id: int
    resource_code: str
    title: str
    organisation_id: int
    organisation: str
    status: EntryChangeStatus
    status_label: str
    explanation: str
    fields: list[FieldChangeRead]
    new_cases: list[CaseCreate]
    created_at: LocalDateTime
    decided_at: LocalDateTime | None
    decision_reason: str | None
    version: int
    article: str = entry_changes.ARTICLE

    @classmethod
    def of(cls, change: EntryChange) -> EntryChangeRead:
        """From the registry's row (before: as read when proposed, for the changed texts)."""
        resource = change.entry.resource
        proposed = change.proposed()
        fields = []
        for name in CHANGEABLE_FIELDS:
            before = change.before.get(name, getattr(resource, name))
            fields.append(
                FieldChangeRead(
                    field=name,
                    label=entry_changes.FIELD_LABELS[name],
                    before=before,
                    after=proposed.get(name, before),
                    changed=name in proposed,
                )
            )
        return cls(
            id=change.id,
            resource_code=resource.code,
            title=resource.title,
            organisation_id=change.organisation_id,
            organisation=resource.organisation.name,
            status=change.status,
            status_label=entry_changes.LABELS[change.status],
            explanation=change.explanation,
            fields=fields,
            new_cases=[CaseCreate.model_validate(c) for c in change.new_cases],
            created_at=change.created_at,
            decided_at=change.decided_at,
            decision_reason=change.decision_reason,
            version=change.version,
        )
