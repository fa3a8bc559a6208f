"""ORM models of the registry, one module per domain. Importing this package registers every
table on `registry.db.Base.metadata` (what Alembic compares against).

Later domains get their own module here and an import below: `monitoring.py` (Art.18 annual
reports, Art.19(1) warnings and rectification), `complaints.py` (Art.23) and `events.py`
(Art.20 matchmaking events and shortlists). Library status `warned` and the outbox kinds for
warnings, removals and withdrawals already exist for them.
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
from registry.models.files import StoredFile
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.models.organisations import Accident, Ban, Organisation, Revenue, Violation
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
    "Application",
    "ApplicationFinding",
    "ApplicationHistory",
    "AuditEntry",
    "Ban",
    "Batch",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "ConflictDeclaration",
    "ConsortiumMember",
    "EvidenceDocument",
    "Expert",
    "ExpertPanel",
    "ExpertScore",
    "LibraryEntry",
    "LibraryEventRecord",
    "MunicipalReview",
    "Notification",
    "Objection",
    "Organisation",
    "PanelAssignment",
    "PanelReport",
    "Resource",
    "ResourceDirection",
    "ResourceIndustry",
    "Revenue",
    "StoredFile",
    "User",
    "Violation",
]
