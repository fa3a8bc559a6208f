"""Expert review (Art.14) under the confidentiality and fairness rules of Art.22: panels of
technical, industry-management and financial experts, conflicts of interest that block
assignment, scores on the four criteria, and the panel report with its decision."""

from __future__ import annotations

from datetime import datetime
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record, snapshot
from registry.enums import ApplicationStatus, ExpertCategory, PanelDecision, Role
from registry.errors import Conflict, InvalidInput, NotFound, RuleViolation
from registry.findings import Finding
from registry.inputs import ScoreInput
from registry.models.accounts import Expert
from registry.models.applications import Application
from registry.models.reviews import (
    ConflictDeclaration,
    ExpertPanel,
    ExpertScore,
    PanelAssignment,
    PanelReport,
)
from registry.services.access import get_application, require_assigned
from registry.services.state import require_status
from registry.services.transitions import fire
from registry.workflow import Event

CRITERIA = ("advancement", "maturity", "application_effect", "promotion_value")


def declare_conflict(
    *, session: Session, actor: Actor, now: datetime, organisation_id: int, reason: str
) -> ConflictDeclaration:
    """An expert declares a conflict of interest with an organisation (Art.22)."""
    require_role(actor, Role.EXPERT, article="Art.22")
    if actor.expert_id is None:
        raise NotFound("当前用户没有专家档案", code="expert_profile_missing")
    declaration = ConflictDeclaration(
        expert_id=actor.expert_id,
        organisation_id=organisation_id,
        reason=reason,
        declared_at=now,
    )
    session.add(declaration)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="expert.declare_conflict",
        object_type="organisation",
        object_id=organisation_id,
        after={"reason": reason},
    )
    return declaration


def conflicts(session: Session, expert: Expert, application: Application) -> list[str]:
    """Why `expert` may not review `application` (Art.22), in Chinese; empty when free."""
    resource = application.resource
    orgs = [resource.organisation, *(m.organisation for m in resource.consortium)]
    reasons = [
        f"专家所在单位即申报单位或联合体成员“{org.name}”"
        for org in orgs
        if expert.affiliation_organisation_id == org.id or expert.affiliation == org.name
    ]
    declared = session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.expert_id == expert.id,
            ConflictDeclaration.organisation_id.in_([org.id for org in orgs]),
        )
    )
    reasons += [f"专家已申报利益冲突：{d.reason}" for d in declared]
    return reasons


def assign_experts(
    *, session: Session, actor: Actor, now: datetime, application_id: int, expert_ids: list[int]
) -> ExpertPanel:
    """Assign experts to the application's panel; any conflict of interest refuses them all."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.14")
    staff_id = signed_in(actor)
    application = get_application(session=session, actor=actor, application_id=application_id)
    require_status(application, "assign_experts", ApplicationStatus.EXPERT_REVIEW)
    panel = _open_panel(session, application, staff_id, now)
    experts = [_expert(session, expert_id) for expert_id in dict.fromkeys(expert_ids)]
    findings = [
        Finding(
            "art22.conflict_of_interest",
            "Art.22",
            f"专家{expert.name}回避：{reason}",
            loc=("expert_ids", index),
        )
        for index, expert in enumerate(experts)
        for reason in conflicts(session, expert, application)
    ]
    if findings:
        raise RuleViolation(
            "所选专家存在利益冲突，须回避",
            code="conflict_of_interest",
            article="Art.22",
            findings=findings,
        )
    present = {a.expert_id for a in panel.assignments}
    panel.assignments.extend(
        PanelAssignment(expert_id=e.id, assigned_at=now, assigned_by_user_id=staff_id)
        for e in experts
        if e.id not in present
    )
    session.flush()
    after = {"expert_ids": [e.id for e in experts]}
    record(session, actor=actor, now=now, action="panel.assign", object_type="application",
           object_id=application.id, after=after)  # fmt: skip
    return panel


def _open_panel(
    session: Session, application: Application, staff_id: int, now: datetime
) -> ExpertPanel:
    """The application's panel, created on first assignment; refused once it has reported."""
    panel = session.scalar(select(ExpertPanel).where(ExpertPanel.application_id == application.id))
    if panel is None:
        panel = ExpertPanel(
            application_id=application.id, created_at=now, created_by_user_id=staff_id
        )
        session.add(panel)
        session.flush()
    if panel.report is not None:
        raise Conflict("专家评审报告已形成，不能再分配专家", code="panel_closed")
    return panel


def _expert(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None or not expert.user.is_active:
        raise NotFound(
            f"专家不存在或已停用：{expert_id}", code="expert_not_found", loc=("expert_ids",)
        )
    return expert


def submit_score(
    *, session: Session, actor: Actor, now: datetime, application_id: int, scores: ScoreInput
) -> ExpertScore:
    """An assigned expert scores the application (0-100 on each Art.14 criterion)."""
    require_role(actor, Role.EXPERT, article="Art.22")
    require_assigned(session, actor, application_id)
    application = get_application(session=session, actor=actor, application_id=application_id)
    require_status(application, "score", ApplicationStatus.EXPERT_REVIEW)
    for name in CRITERIA:
        if not 0 <= getattr(scores, name) <= 100:
            raise InvalidInput(
                f"评分应在 0-100 之间：{name}",
                code="score_out_of_range",
                article="Art.14",
                loc=(name,),
            )
    assignment = session.scalars(
        select(PanelAssignment)
        .join(ExpertPanel)
        .where(
            ExpertPanel.application_id == application.id,
            PanelAssignment.expert_id == actor.expert_id,
        )
    ).one()
    if assignment.panel.report is not None:
        raise Conflict("专家评审报告已形成，评分不能再修改", code="panel_closed")
    before = snapshot(assignment.score, CRITERIA) if assignment.score else None
    score = assignment.score or ExpertScore()
    for name in (*CRITERIA, "comment"):
        setattr(score, name, getattr(scores, name))
    score.scored_at = now
    assignment.score = score
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="expert.score",
        object_type="application",
        object_id=application.id,
        before=before,
        after=snapshot(score, CRITERIA),
    )
    return score


def report_panel(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    decision: PanelDecision,
    summary: str,
    expected_version: int | None = None,
) -> PanelReport:
    """The panel report (Art.14): needs all three expert categories and every score."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.14")
    staff_id = signed_in(actor)
    application = get_application(session=session, actor=actor, application_id=application_id)
    panel = session.scalar(select(ExpertPanel).where(ExpertPanel.application_id == application.id))
    findings = _panel_gaps(panel)
    if findings or panel is None:
        raise RuleViolation(
            "专家评审尚未完成", code="panel_incomplete", article="Art.14", findings=findings
        )
    event = Event.PROPOSE if decision is PanelDecision.PROPOSE else Event.REJECT
    fire(
        session=session,
        application=application,
        event=event,
        actor=actor,
        now=now,
        note=summary,
        expected_version=expected_version,
    )
    totals = [a.score.total for a in panel.assignments if a.score is not None]
    report = PanelReport(
        panel_id=panel.id,
        decision=decision,
        mean_score=round(fmean(totals), 2),
        summary=summary,
        reported_at=now,
        reported_by_user_id=staff_id,
    )
    session.add(report)
    session.flush()
    return report


def _panel_gaps(panel: ExpertPanel | None) -> list[Finding]:
    if panel is None or not panel.assignments:
        return [Finding("art14.panel_missing", "Art.14", "尚未组建专家组", loc=("panel",))]
    categories = {a.expert.category for a in panel.assignments}
    labels = {
        ExpertCategory.TECHNICAL: "技术专家",
        ExpertCategory.INDUSTRY_MANAGEMENT: "行业管理专家",
        ExpertCategory.FINANCIAL: "财务专家",
    }
    findings = [
        Finding(
            "art14.panel_incomplete", "Art.14", f"专家组缺少{labels[c]}", loc=("panel", c.value)
        )
        for c in ExpertCategory
        if c not in categories
    ]
    findings += [
        Finding(
            "art14.score_missing",
            "Art.14",
            f"专家{a.expert.name}尚未评分",
            loc=("panel", "scores", a.expert_id),
        )
        for a in panel.assignments
        if a.score is None
    ]
    return findings
