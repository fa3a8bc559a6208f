"""What the API reads for the library after certification (Art.18, 19, 21): annual reports,
rectifications, withdrawal requests and opinions, warnings, removals, referral receipts."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import InputSchema
from registry.models.monitoring import RemovalGround, WarningReason
from registry.services.annual_reports import AnnualReportInput

TEXT = 8000


class AnnualReportCreate(InputSchema):
    """The annual report of one library entry on one year (Art.18)."""

    year: int = Field(ge=2000, le=2100, examples=[2025])
    promotion: str = Field(min_length=1, max_length=TEXT, description="市场推广情况")
    application_data: str = Field(min_length=1, max_length=TEXT, description="应用成效数据")
    technical_updates: str = Field(min_length=1, max_length=TEXT, description="技术更新迭代情况")
    enterprises_served: int = Field(ge=0, le=10_000_000, description="服务企业数量")
    feedback: str = Field(min_length=1, max_length=TEXT, description="服务企业反馈意见")

    def to_input(self) -> AnnualReportInput:
        """The registry's input."""
        return AnnualReportInput(
            promotion=self.promotion,
            application_data=self.application_data,
            technical_updates=self.technical_updates,
            enterprises_served=self.enterprises_served,
            feedback=self.feedback,
        )


class RectificationCreate(InputSchema):
    """What the provider rectified after a warning (Art.19(1))."""

    rectification: str = Field(min_length=1, max_length=TEXT)


class WithdrawalCreate(InputSchema):
    """A request to take one of the provider's entries out of the library (Art.19(3))."""

    resource_code: str = Field(min_length=1, max_length=16)
    reason: str = Field(min_length=1, max_length=4000)


class OpinionCreate(InputSchema):
    """The city's opinion when forwarding a withdrawal request (Art.19(3))."""

    opinion: str = Field(min_length=1, max_length=4000)


class NoteCreate(InputSchema):
    """The province's note on a decision (close or remove after a warning, approve or refuse a
    withdrawal)."""

    note: str = Field(min_length=1, max_length=4000)


class WarningCreate(InputSchema):
    """A warning with its reasons (Art.19(1))."""

    reasons: list[WarningReason] = Field(min_length=1, max_length=4)
    detail: str = Field(min_length=1, max_length=4000)


class RemovalCreate(InputSchema):
    """A direct removal of an organisation (Art.19(2), Art.21)."""

    ground: RemovalGround
    reason: str = Field(min_length=1, max_length=4000)


class ReferralSentCreate(InputSchema):
    """The receipt of a credit referral sent to the credit authority (Art.21)."""

    reference: str = Field(min_length=1, max_length=100)
