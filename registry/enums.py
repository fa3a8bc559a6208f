"""Status and vocabulary enums of the registry's own records (stored as their values)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do; scopes (city, organisation, assignment) narrow it further."""

    PROVIDER = "provider"  # 申报单位, one organisation
    MUNICIPAL_REVIEWER = "municipal_reviewer"  # 地市工信部门, one city
    PROVINCIAL_STAFF = "provincial_staff"  # 省工信厅
    EXPERT = "expert"  # 评审专家, only what is assigned
    ORGANISER = "organiser"  # 对接活动组织方
    RELEVANCE_STAFF = "relevance_staff"
    ADMIN = "admin"


class ExpertCategory(StrEnum):
    """Art.14: a panel needs one expert of each category."""

    TECHNICAL = "technical"  # 技术专家
    INDUSTRY_MANAGEMENT = "industry_management"  # 行业管理专家
    FINANCIAL = "financial"  # 财务专家


class ApplicationStatus(StrEnum):
    """States of the certification workflow (see `registry.workflow`)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    MUNICIPAL_REVIEW = "municipal_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    RECOMMENDED = "recommended"
    EXPERT_REVIEW = "expert_review"
    PROPOSED = "proposed"
    PUBLICITY = "publicity"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    VOIDED = "voided"  # Art.21: false material found during certification


class MunicipalDecision(StrEnum):
    """Art.13 opinion of the city."""

    RECOMMEND = "recommend"
    RETURN = "return"  # 退回补正
    REJECT = "reject"


class PanelDecision(StrEnum):
    """Art.14 conclusion of the expert panel report."""

    PROPOSE = "propose"  # 拟认定
    REJECT = "reject"


class ObjectionDecision(StrEnum):
    """Art.15: an objection is upheld (application rejected) or unfounded."""

    UPHELD = "upheld"
    UNFOUNDED = "unfounded"


class LibraryStatus(StrEnum):
    """State of a certified resource in the library (Art.19)."""

    CERTIFIED = "certified"
    WARNED = "warned"  # Art.19(1): six months to rectify
    REMOVED = "removed"  # Art.19(1)/(2), Art.21
    WITHDRAWN = "withdrawn"  # Art.19(3)


class LibraryEventKind(StrEnum):
    """Kinds of change in the `library_events` outbox (docs/contracts.md)."""

    CERTIFIED = "certified"
    UPDATED = "updated"
    WARNED = "warned"
    WARNING_CLOSED = "warning_closed"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"
    PRIORITY_SET = "priority_set"
    PRIORITY_UNSET = "priority_unset"


class NotificationKind(StrEnum):
    """What the platform tells an applicant (Art.15: the result goes through the platform)."""

    STATUS_CHANGED = "status_changed"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    RETURNED = "returned"
