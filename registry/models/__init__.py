"""ORM models of the registry, one module per domain. Importing this package registers every
table on `registry.db.Base.metadata` (what Alembic compares against).

Management after certification lives in `monitoring.py` (Art.18 annual reports, Art.19
warnings, withdrawals, removals, Art.21 credit referrals, sweep flags), complaints in
`complaints.py` (Art.23) and matchmaking events with their shortlists in `events.py` (Art.20).
"""

from registry.models.accounts import Expert, User
from registry.models.applications import (
    Application,
    ApplicationFinding,
    ApplicationHistory,
    Batch,
    Notification,
)
from registry.models.audit import AuditEntry
from registry.models.calendar import CalendarDay, CalendarYear
from registry.models.changes import EntryChange
from registry.models.complaints import Complaint, ComplaintNote
from registry.models.events import EventNeed, MatchEvent, ShortlistItem
from registry.models.files import StoredFile
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.models.monitoring import (
    AnnualReport,
    CreditReferral,
    LibraryEntryHistory,
    LibraryWarning,
    MonitoringFlag,
    PublicContact,
    Removal,
    WithdrawalRequest,
)
from registry.models.organisations import Accident, Ban, Organisation, Revenue, Violation
from registry.models.relevance import RelevanceJudgment
from registry.models.resources import (
    Case,
    ConsortiumMember,
    EvidenceDocument,
    Resource,
    ResourceDirection,
    ResourceIndustry,
)
from registry.models.reviews import (
    ConflictDeclaration,
    ExpertPanel,
    ExpertScore,
    MunicipalReview,
    Objection,
    PanelAssignment,
    PanelReport,
)

__all__ = [
    "Accident",
    "AnnualReport",
    "Application",
    "ApplicationFinding",
    "ApplicationHistory",
    "AuditEntry",
    "Ban",
    "Batch",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "Complaint",
    "ComplaintNote",
    "ConflictDeclaration",
    "ConsortiumMember",
    "CreditReferral",
    "EntryChange",
    "EventNeed",
    "EvidenceDocument",
    "Expert",
    "ExpertPanel",
    "ExpertScore",
    "LibraryEntry",
    "LibraryEntryHistory",
    "LibraryEventRecord",
    "LibraryWarning",
    "MatchEvent",
    "MonitoringFlag",
    "MunicipalReview",
    "Notification",
    "Objection",
    "Organisation",
    "PanelAssignment",
    "PanelReport",
    "PublicContact",
    "RelevanceJudgment",
    "Removal",
    "Resource",
    "ResourceDirection",
    "ResourceIndustry",
    "Revenue",
    "ShortlistItem",
    "StoredFile",
    "User",
    "Violation",
    "WithdrawalRequest",
]
