"""What the API sends and reads for public supervision: complaints and reports (投诉举报,
Art.23) and objections raised during publicity (异议, Art.15). The public gets a follow-up
token once, and with it only the status and the result; staff see contacts and notes."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from registry.enums import ObjectionDecision, Role
from registry.models.complaints import Complaint, ComplaintStatus, ComplaintSubject
from registry.services import complaints
from registry.services.complaints import ComplaintFollowUp, ComplaintInput
from registry.services.publicity import ObjectionFollowUp

SUBJECT_LABELS = {
    ComplaintSubject.ENTRY: "资源库中的赋能资源",
    ComplaintSubject.ORGANISATION: "申报单位或资源提供单位",
    ComplaintSubject.PROCESS: "认定、管理或推广工作",
}
TOKEN = Field(min_length=16, max_length=100, description="受理时给出的查询码")


class ComplaintCreate(InputSchema):
    """A complaint or report; contact details may be left out (anonymous reports)."""

    subject: ComplaintSubject
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=8000)
    resource_code: str | None = Field(default=None, max_length=16, description="对象为资源时")
    organisation_id: int | None = Field(default=None, description="对象为单位时")
    contact_name: str | None = Field(default=None, max_length=100)
    contact_phone: str | None = Field(default=None, max_length=50)
    contact_email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")

    def to_input(self) -> ComplaintInput:
        """The registry's input."""
        return ComplaintInput(
            subject=self.subject,
            title=self.title,
            content=self.content,
            resource_code=self.resource_code,
            organisation_id=self.organisation_id,
            contact_name=self.contact_name,
            contact_phone=self.contact_phone,
            contact_email=self.contact_email,
        )


class TokenBody(InputSchema):
    """A follow-up token (sent in the body, never in an address that logs keep)."""

    token: str = TOKEN


class ComplaintFiledRead(ReadSchema):
    """The receipt of a complaint: its number and the token to follow it (shown only now)."""

    reference: str
    token: str
    status: ComplaintStatus
    status_label: str
    filed_at: LocalDateTime


class ComplaintFollowUpRead(ReadSchema):
    """What the complainant sees: status and result, never the staff's notes or names."""

    reference: str
    subject: ComplaintSubject
    subject_label: str
    title: str
    status: ComplaintStatus
    status_label: str
    filed_at: LocalDateTime
    updated_at: LocalDateTime
    result: str | None
    closed_at: LocalDateTime | None

    @classmethod
    def of(cls, seen: ComplaintFollowUp) -> ComplaintFollowUpRead:
        """From the registry's view."""
        return cls(
            reference=seen.reference,
            subject=seen.subject,
            subject_label=SUBJECT_LABELS[seen.subject],
            title=seen.title,
            status=seen.status,
            status_label=seen.status_label,
            filed_at=seen.filed_at,
            updated_at=seen.updated_at,
            result=seen.result,
            closed_at=seen.closed_at,
        )


class ComplaintSummaryRead(ReadSchema):
    """A complaint in the staff's list."""

    id: int
    reference: str
    subject: ComplaintSubject
    subject_label: str
    title: str
    status: ComplaintStatus
    status_label: str
    resource_code: str | None
    organisation_id: int | None
    city: str | None
    assignee_user_id: int | None
    created_at: LocalDateTime
    updated_at: LocalDateTime
    closed_at: LocalDateTime | None

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintSummaryRead:
        """From the registry's row."""
        return cls.model_validate(
            {
                **{n: getattr(complaint, n) for n in _SUMMARY_FIELDS},
                "subject_label": SUBJECT_LABELS[complaint.subject],
                "status_label": complaints.LABELS[complaint.status],
            }
        )


class NoteRead(ReadSchema):
    """An investigation note (staff only)."""

    id: int
    author_user_id: int | None
    text: str
    created_at: LocalDateTime


class ComplaintRead(ComplaintSummaryRead):
    """A complaint for the staff who handle it: contacts, content, notes and result."""

    content: str
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    result: str | None
    notes: list[NoteRead]
    article: str = "Art.23"

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintRead:
        """From the registry's row, with its notes."""
        summary = ComplaintSummaryRead.of(complaint).model_dump()
        return cls(
            **summary,
            content=complaint.content,
            contact_name=complaint.contact_name,
            contact_phone=complaint.contact_phone,
            contact_email=complaint.contact_email,
            result=complaint.result,
            notes=[NoteRead.model_validate(n) for n in complaint.notes],
        )


_SUMMARY_FIELDS = tuple(
    n for n in ComplaintSummaryRead.model_fields if n not in ("subject_label", "status_label")
)


class AssignmentCreate(InputSchema):
    """Whom the province hands a complaint to."""

    assignee_user_id: int


class ComplaintNoteCreate(InputSchema):
    """An investigation note."""

    text: str = Field(min_length=1, max_length=8000)


class ComplaintCloseCreate(InputSchema):
    """The result the complainant will read."""

    result: str = Field(min_length=1, max_length=8000)


class AssigneeRead(ReadSchema):
    """Someone a complaint can be assigned to (provincial staff or a municipal reviewer)."""

    id: int
    display_name: str
    role: Role
    city: str | None


class PublicObjectionCreate(InputSchema):
    """An objection to an application in publicity, raised by anyone (Art.15)."""

    name: str = Field(min_length=1, max_length=200, description="提出人（单位或个人）")
    contact: str = Field(min_length=1, max_length=200, description="联系电话或邮箱")
    content: str = Field(min_length=1, max_length=8000, description="异议内容及理由")


class ObjectionFiledRead(ReadSchema):
    """The receipt of an objection: its number and the token to follow it (shown only now)."""

    reference: str
    token: str
    resource_code: str
    title: str
    raised_at: LocalDateTime
    article: str = "Art.15"


class ObjectionFollowUpRead(ReadSchema):
    """What the objector sees: the province's decision and its reason once taken."""

    reference: str
    resource_code: str
    title: str
    raised_at: LocalDateTime
    decision: ObjectionDecision | None
    status_label: str
    decision_reason: str | None
    decided_at: LocalDateTime | None

    @classmethod
    def of(cls, seen: ObjectionFollowUp) -> ObjectionFollowUpRead:
        """From the registry's view."""
        return cls.model_validate(seen)
