"""Driving one seed application through the real workflow with an injected clock.

The provider submits at 09:30 (Asia/Shanghai) on `submitted_on`; the city decides 2-6 working
days later; the experts score 1-3 working days after the province receives the recommendation;
publicity starts the next working day; certification follows on the working day after publicity
ends. Every delay and score is derived from a hash of the resource code, so a reload is
identical. The run stops at the outcome the seed file names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.calendar_store import work_calendar
from registry.enums import ExpertCategory, MunicipalDecision, PanelDecision
from registry.errors import InvalidInput
from registry.inputs import ScoreInput
from registry.models.accounts import Expert
from registry.models.applications import Application
from registry.seed_schema import Application as SeedApplication
from registry.seed_schema import ApplicationOutcome as O
from registry.seed_schema import Route
from registry.services import experts, library_admin, municipal, publicity, submissions

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECOMMEND_REASON = "经初审，申报单位资质、材料完整性和真实性符合《管理办法》规定，同意推荐。"
RETURN_REASON = "请补充完善典型案例的实施情况与用户反馈材料后重新提交。"
REJECT_REASON = "经初审，申报材料与申报方向不符，不予推荐。"


@dataclass(frozen=True, slots=True)
class Cast:
    """Who acts for the province and for each city."""

    staff: Actor
    reviewers: Mapping[str, Actor]


class Run:
    """One application's way through the workflow."""

    def __init__(
        self,
        session: Session,
        application: Application,
        spec: SeedApplication,
        cast: Cast,
        provider: Actor,
    ) -> None:
        self.session, self.spec, self.cast, self.provider = session, spec, cast, provider
        self.app_id = application.id
        self.code = application.resource.code
        self.city = application.resource.organisation.city
        self.calendar = work_calendar(session)

    def pick(self, salt: str, lo: int, hi: int) -> int:
        """A number in [lo, hi] fixed by the resource code and `salt`."""
        digest = hashlib.sha256(f"{self.code}:{salt}".encode()).digest()
        return lo + int.from_bytes(digest[:8], "big") % (hi - lo + 1)

    def later(self, day: date, salt: str, lo: int, hi: int) -> date:
        """The working day `lo`-`hi` working days after `day`."""
        return self.calendar.add_working_days(day, self.pick(salt, lo, hi))

    @staticmethod
    def at(day: date, hh: int, mm: int = 0) -> datetime:
        """A moment of `day` in Asia/Shanghai."""
        return datetime.combine(day, time(hh, mm), SHANGHAI)

    def drive(self) -> None:
        """Take the application as far as the spec's outcome."""
        outcome = self.spec.outcome
        if outcome is O.DRAFT:
            return
        day = self.spec.submitted_on
        if self.spec.years_waiver:
            submissions.record_years_waiver(
                session=self.session,
                actor=self.cast.staff,
                now=self.at(day, 9, 0),
                application_id=self.app_id,
                reason=self.spec.years_waiver,
            )
        submissions.submit_application(
            session=self.session,
            actor=self.provider,
            now=self.at(day, 9, 30),
            application_id=self.app_id,
            commitment_signed=True,
        )
        if self.spec.route is Route.DIRECT_ENTRY:
            publicity.verify_direct_entry(
                session=self.session,
                actor=self.cast.staff,
                now=self.at(self.later(day, "verify", 1, 3), 10),
                application_id=self.app_id,
            )
            return
        if self.spec.route is Route.MUNICIPAL:
            received = self._city(day)
            if received is None:
                return
            day = received
        self._province(day)

    def _decide(self, day: date, decision: MunicipalDecision, reasons: str) -> None:
        reviewer = self.cast.reviewers.get(self.city)
        if reviewer is None:
            raise InvalidInput(
                f"users.yaml 中没有{self.city}的地市审核人员", code="loader_no_reviewer"
            )
        municipal.municipal_decide(
            session=self.session,
            actor=reviewer,
            now=self.at(day, 15),
            application_id=self.app_id,
            decision=decision,
            reasons=reasons,
        )

    def _city(self, submitted: date) -> date | None:
        """The municipal steps; the day the province receives the recommendation, or None."""
        outcome = self.spec.outcome
        if outcome is O.MUNICIPAL_REVIEW:
            return None
        day = self.later(submitted, "city", 2, 6)
        if outcome in (O.RETURNED, O.RESUBMITTED_CERTIFIED):
            self._decide(day, MunicipalDecision.RETURN, self.spec.return_reason or RETURN_REASON)
            if outcome is O.RETURNED:
                return None
            day = self.later(day, "resubmit", 2, 4)
            submissions.resubmit_application(
                session=self.session,
                actor=self.provider,
                now=self.at(day, 10),
                application_id=self.app_id,
            )
            day = self.later(day, "city-again", 2, 6)
        if outcome is O.REJECTED_MUNICIPAL:
            self._decide(day, MunicipalDecision.REJECT, self.spec.reject_reason or REJECT_REASON)
            return None
        self._decide(day, MunicipalDecision.RECOMMEND, RECOMMEND_REASON)
        return day

    def _province(self, received: date) -> None:
        outcome = self.spec.outcome
        panel = self._assign(received)
        day = self.later(received, "experts", 1, 3)
        reject = outcome is O.REJECTED_EXPERT
        for index, (expert, category) in enumerate(panel):
            self._score(expert, category, self.at(day, 10 + index), reject)
            if outcome is O.EXPERT_REVIEW:
                return  # one expert has scored; the others are still at it
        decision = PanelDecision.REJECT if reject else PanelDecision.PROPOSE
        experts.report_panel(
            session=self.session,
            actor=self.cast.staff,
            now=self.at(day, 16),
            application_id=self.app_id,
            decision=decision,
            summary=_summary(decision),
        )
        if not reject:
            self._publicity(self.calendar.add_working_days(day, 1))

    def _assign(self, received: date) -> list[tuple[Actor, ExpertCategory]]:
        """One expert of each category, free of conflicts, chosen by the resource code."""
        application = self.session.get(Application, self.app_id)
        if application is None:
            raise InvalidInput(f"申报不存在：{self.app_id}", code="not_found")
        pool = self.session.scalars(select(Expert).order_by(Expert.id)).all()
        chosen: list[Expert] = []
        for category in ExpertCategory:
            free = [
                e
                for e in pool
                if e.category is category
                and e.user.is_active
                and not experts.conflicts(self.session, e, application)
            ]
            if not free:
                raise InvalidInput(
                    f"没有可回避利益冲突的{category.value}专家", code="loader_no_expert"
                )
            chosen.append(free[self.pick(f"expert-{category.value}", 0, len(free) - 1)])
        experts.assign_experts(
            session=self.session,
            actor=self.cast.staff,
            now=self.at(received, 17),
            application_id=self.app_id,
            expert_ids=[e.id for e in chosen],
        )
        return [(Actor.of(e.user), e.category) for e in chosen]

    def _score(self, expert: Actor, category: ExpertCategory, now: datetime, low: bool) -> None:
        """Plausible scores: 74-90 around a per-resource base, 46-57 for a rejected one."""
        base = self.pick("base", 46, 57) if low else self.pick("base", 74, 90)
        values = {
            name: max(0, min(100, base + self.pick(f"{category.value}-{name}", -5, 5)))
            for name in experts.CRITERIA
        }
        comment = LOW_COMMENT if low else HIGH_COMMENT
        experts.submit_score(
            session=self.session,
            actor=expert,
            now=now,
            application_id=self.app_id,
            scores=ScoreInput(**values, comment=comment),
        )

    def _publicity(self, start: date) -> None:
        staff, outcome = self.cast.staff, self.spec.outcome
        publicity.start_publicity(
            session=self.session, actor=staff, now=self.at(start, 9), application_id=self.app_id
        )
        if outcome is O.PUBLICITY:
            return
        objection = self.spec.objection
        if objection is not None:
            raised = publicity.raise_objection(
                session=self.session,
                actor=staff,
                now=self.at(self.calendar.add_working_days(start, 2), 11),
                application_id=self.app_id,
                raised_by=objection.raised_by,
                content=objection.content,
            )
            if outcome is O.OBJECTION_PENDING:
                return
            upheld = outcome is O.OBJECTION_UPHELD
            publicity.decide_objection(
                session=self.session,
                actor=staff,
                now=self.at(self.calendar.add_working_days(start, 4), 15),
                objection_id=raised.id,
                upheld=upheld,
                reason=objection.decision or (UPHELD_REASON if upheld else UNFOUNDED_REASON),
            )
            if upheld:
                return
        self._certify()

    def _certify(self) -> None:
        application = self.session.get(Application, self.app_id)
        due = application.publicity_due_at if application is not None else None
        if due is None:
            raise InvalidInput("公示截止时间缺失", code="loader_no_publicity")
        day = self.calendar.add_working_days(due.astimezone(SHANGHAI).date(), 1)
        publicity.certify(
            session=self.session,
            actor=self.cast.staff,
            now=self.at(day, 10),
            application_id=self.app_id,
        )
        if self.spec.priority:
            library_admin.set_priority(
                session=self.session,
                actor=self.cast.staff,
                now=self.at(day, 10, 5),
                resource_code=self.code,
                priority=True,
            )


HIGH_COMMENT = "技术方案成熟，典型案例真实充分，应用成效明显，具有较好的推广价值。"
LOW_COMMENT = "技术先进性论证不足，案例成效数据支撑不够，推广价值有限。"
UPHELD_REASON = "经核查，异议反映的问题属实，不予认定。"
UNFOUNDED_REASON = "经核查，异议反映的问题不属实，异议不成立。"


def _summary(decision: PanelDecision) -> str:
    verdict = "建议拟认定" if decision is PanelDecision.PROPOSE else "未达到认定要求，不予认定"
    return (
        "专家组由技术专家、行业管理专家、财务专家组成，从技术先进性、成熟度、应用成效、"
        f"推广价值四方面评审，{verdict}。"
    )
