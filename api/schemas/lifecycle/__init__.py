"""Schemas of library management after certification: what the API reads (`inputs`) and
sends (`reads`)."""

from api.schemas.lifecycle.inputs import (
    AnnualReportCreate,
    NoteCreate,
    OpinionCreate,
    RectificationCreate,
    ReferralSentCreate,
    RemovalCreate,
    WarningCreate,
    WithdrawalCreate,
)
from api.schemas.lifecycle.reads import (
    FLAG_LABELS,
    REPORT_STATE_LABELS,
    WARNING_STATUS_LABELS,
    AnnualReportRead,
    AnnualReportStatusRead,
    BanSummaryRead,
    EntryRead,
    FlagRead,
    ReferralRead,
    RemovalRead,
    WarningRead,
    WithdrawalRead,
    days_left,
    state_label,
)

__all__ = [
    "FLAG_LABELS",
    "REPORT_STATE_LABELS",
    "WARNING_STATUS_LABELS",
    "AnnualReportCreate",
    "AnnualReportRead",
    "AnnualReportStatusRead",
    "BanSummaryRead",
    "EntryRead",
    "FlagRead",
    "NoteCreate",
    "OpinionCreate",
    "RectificationCreate",
    "ReferralRead",
    "ReferralSentCreate",
    "RemovalCreate",
    "RemovalRead",
    "WarningCreate",
    "WarningRead",
    "WithdrawalCreate",
    "WithdrawalRead",
    "days_left",
    "state_label",
]
