"""The certification workflow of the Measures as ONE transition table (data, not scattered ifs).

Each (state, event) maps to the next state, the roles allowed to cause it and the routes it
applies to. Automatic transitions (the platform forwarding an application to the authority that
reviews it next) have no roles: only the workflow itself follows them, right after the
transition that leads to their state. The side effects of every transition are chosen in one
place, `effects()`; `registry.services.transitions` carries them out.

    draft -submit-> submitted
    submitted -forward_to_city-> municipal_review                         (Art.13, municipal route)
    submitted -forward_to_province-> expert_review                        (Art.16)
    submitted -verify_platform-> certified | -reject-> rejected           (Art.17)
    municipal_review -return_for_completion-> returned -resubmit-> resubmitted
    resubmitted -forward_to_city-> municipal_review
    municipal_review -reject-> rejected | -recommend-> recommended
    recommended -forward_to_province-> expert_review                      (Art.14)
    expert_review -reject-> rejected | -propose-> proposed
    proposed -start_publicity-> publicity                                  (Art.15)
    publicity -uphold_objection-> rejected | -certify-> certified
    any open state after submission -void-> voided                         (Art.21)

Library entries (after certification) have their own table, `ENTRY_TRANSITIONS`, in the same
style; `registry.services.library_admin.change_entry_status` carries those transitions out:

    certified -warn-> warned -close_warning-> certified                     (Art.19(1))
    certified | warned -withdraw-> withdrawn                               (Art.19(3))
    certified | warned | withdrawn -remove-> removed                       (Art.19, Art.21)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from registry.enums import ApplicationStatus as S
from registry.enums import LibraryEventKind, Role
from registry.enums import LibraryStatus as L
from registry.errors import PermissionDenied, TransitionNotAllowed
from registry.seed_schema import Route

# Working days allowed for each review step.
MUNICIPAL_REVIEW_DAYS = 10  # Art.13
EXPERT_REVIEW_DAYS = 5  # Art.14
PUBLICITY_DAYS = 5  # Art.15


class Event(StrEnum):
    """What happens to an application."""

    SUBMIT = "submit"
    FORWARD_TO_CITY = "forward_to_city"
    FORWARD_TO_PROVINCE = "forward_to_province"
    VERIFY_PLATFORM = "verify_platform"
    RETURN_FOR_COMPLETION = "return_for_completion"
    RESUBMIT = "resubmit"
    RECOMMEND = "recommend"
    REJECT = "reject"
    PROPOSE = "propose"
    START_PUBLICITY = "start_publicity"
    UPHOLD_OBJECTION = "uphold_objection"
    CERTIFY = "certify"
    VOID = "void"


class Effect(StrEnum):
    """Side effects of arriving in a state; carried out in the transition's transaction."""

    RECORD_SUBMISSION = "record_submission"
    START_MUNICIPAL_CLOCK = "start_municipal_clock"
    RECORD_RECOMMENDATION = "record_recommendation"
    START_EXPERT_CLOCK = "start_expert_clock"
    START_PUBLICITY_CLOCK = "start_publicity_clock"
    CREATE_LIBRARY_ENTRY = "create_library_entry"
    CLOSE = "close"
    NOTIFY_APPLICANT = "notify_applicant"


ALL_ROUTES = frozenset(Route)
REVIEWED_ROUTES = frozenset({Route.MUNICIPAL, Route.PROVINCIAL_DIRECT})
STAFF = frozenset({Role.PROVINCIAL_STAFF})
AUTOMATIC: frozenset[Role] = frozenset()


@dataclass(frozen=True, slots=True)
class Transition:
    """Where an event leads from a state, who may cause it, on which routes, under which rule."""

    target: S
    roles: frozenset[Role]
    routes: frozenset[Route]
    article: str

    @property
    def automatic(self) -> bool:
        """True when only the workflow itself follows this transition."""
        return not self.roles


def _t(target: S, roles: frozenset[Role], routes: frozenset[Route], article: str) -> Transition:
    return Transition(target, roles, routes, article)


_PROVIDER = frozenset({Role.PROVIDER})
_CITY = frozenset({Role.MUNICIPAL_REVIEWER})
_MUNICIPAL = frozenset({Route.MUNICIPAL})
_VOIDABLE = (
    S.SUBMITTED,
    S.MUNICIPAL_REVIEW,
    S.RETURNED,
    S.RESUBMITTED,
    S.RECOMMENDED,
    S.EXPERT_REVIEW,
    S.PROPOSED,
    S.PUBLICITY,
)

TRANSITIONS: Mapping[tuple[S, Event], Transition] = MappingProxyType(
    {
        (S.DRAFT, Event.SUBMIT): _t(S.SUBMITTED, _PROVIDER, ALL_ROUTES, "Art.11"),
        (S.SUBMITTED, Event.FORWARD_TO_CITY): _t(
            S.MUNICIPAL_REVIEW, AUTOMATIC, _MUNICIPAL, "Art.13"
        ),
        (S.SUBMITTED, Event.FORWARD_TO_PROVINCE): _t(
            S.EXPERT_REVIEW, AUTOMATIC, frozenset({Route.PROVINCIAL_DIRECT}), "Art.16"
        ),
        (S.SUBMITTED, Event.VERIFY_PLATFORM): _t(
            S.CERTIFIED, STAFF, frozenset({Route.DIRECT_ENTRY}), "Art.17"
        ),
        (S.SUBMITTED, Event.REJECT): _t(
            S.REJECTED, STAFF, frozenset({Route.DIRECT_ENTRY}), "Art.17"
        ),
        (S.MUNICIPAL_REVIEW, Event.RETURN_FOR_COMPLETION): _t(
            S.RETURNED, _CITY, _MUNICIPAL, "Art.13"
        ),
        (S.MUNICIPAL_REVIEW, Event.REJECT): _t(S.REJECTED, _CITY, _MUNICIPAL, "Art.13"),
        (S.MUNICIPAL_REVIEW, Event.RECOMMEND): _t(S.RECOMMENDED, _CITY, _MUNICIPAL, "Art.13"),
        (S.RETURNED, Event.RESUBMIT): _t(S.RESUBMITTED, _PROVIDER, _MUNICIPAL, "Art.13"),
        (S.RESUBMITTED, Event.FORWARD_TO_CITY): _t(
            S.MUNICIPAL_REVIEW, AUTOMATIC, _MUNICIPAL, "Art.13"
        ),
        (S.RECOMMENDED, Event.FORWARD_TO_PROVINCE): _t(
            S.EXPERT_REVIEW, AUTOMATIC, _MUNICIPAL, "Art.14"
        ),
        (S.EXPERT_REVIEW, Event.REJECT): _t(S.REJECTED, STAFF, REVIEWED_ROUTES, "Art.14"),
        (S.EXPERT_REVIEW, Event.PROPOSE): _t(S.PROPOSED, STAFF, REVIEWED_ROUTES, "Art.15"),
        (S.PROPOSED, Event.START_PUBLICITY): _t(S.PUBLICITY, STAFF, REVIEWED_ROUTES, "Art.15"),
        (S.PUBLICITY, Event.UPHOLD_OBJECTION): _t(S.REJECTED, STAFF, REVIEWED_ROUTES, "Art.15"),
        (S.PUBLICITY, Event.CERTIFY): _t(S.CERTIFIED, STAFF, REVIEWED_ROUTES, "Art.15"),
        **{(state, Event.VOID): _t(S.VOIDED, STAFF, ALL_ROUTES, "Art.21") for state in _VOIDABLE},
    }
)

# After arriving in a state, the platform forwards the application at once (same transaction).
FOLLOW_UPS: Mapping[tuple[S, Route], Event] = MappingProxyType(
    {
        (S.SUBMITTED, Route.MUNICIPAL): Event.FORWARD_TO_CITY,
        (S.SUBMITTED, Route.PROVINCIAL_DIRECT): Event.FORWARD_TO_PROVINCE,
        (S.RESUBMITTED, Route.MUNICIPAL): Event.FORWARD_TO_CITY,
        (S.RECOMMENDED, Route.MUNICIPAL): Event.FORWARD_TO_PROVINCE,
    }
)

OPEN_STATES = frozenset(S) - {S.DRAFT, S.CERTIFIED, S.REJECTED, S.VOIDED}
FINAL_STATES = frozenset({S.CERTIFIED, S.REJECTED, S.VOIDED})


def transition_for(state: S, event: Event, *, route: Route) -> Transition:
    """The transition for `event` from `state` on `route`, or TransitionNotAllowed."""
    transition = TRANSITIONS.get((state, event))
    if transition is None or route not in transition.routes:
        raise TransitionNotAllowed(
            f"当前状态“{STATE_LABELS[state]}”下不能执行“{EVENT_LABELS[event]}”",
            event=event.value,
            state=state.value,
            loc=("status",),
        )
    return transition


def check(
    state: S, event: Event, *, role: Role, route: Route, automatic: bool = False
) -> Transition:
    """The transition `role` may cause now; automatic ones only when the workflow follows them."""
    transition = transition_for(state, event, route=route)
    if automatic != transition.automatic or (
        not transition.automatic and role not in transition.roles
    ):
        raise PermissionDenied(
            f"角色“{role.value}”不能执行“{EVENT_LABELS[event]}”",
            code="role_not_allowed",
            article=transition.article,
        )
    return transition


def follow_up(state: S, route: Route) -> Event | None:
    """The automatic event the platform fires on arriving in `state`, if any."""
    return FOLLOW_UPS.get((state, route))


def allowed_events(state: S, *, role: Role, route: Route) -> list[Event]:
    """Events `role` may cause from `state` on `route` (for screens and the CLI)."""
    return [
        event
        for (source, event), t in TRANSITIONS.items()
        if source is state and route in t.routes and role in t.roles
    ]


def effects(previous: S, current: S) -> tuple[Effect, ...]:
    """The side effects of moving from `previous` to `current`, chosen in this one place."""
    match (previous, current):
        case (S.DRAFT, S.SUBMITTED):
            return (Effect.RECORD_SUBMISSION,)
        case (_, S.MUNICIPAL_REVIEW):
            return (Effect.START_MUNICIPAL_CLOCK,)
        case (_, S.RETURNED):
            return (Effect.NOTIFY_APPLICANT,)
        case (_, S.RECOMMENDED):
            return (Effect.RECORD_RECOMMENDATION,)
        case (_, S.EXPERT_REVIEW):
            return (Effect.START_EXPERT_CLOCK,)
        case (_, S.PUBLICITY):
            return (Effect.START_PUBLICITY_CLOCK, Effect.NOTIFY_APPLICANT)
        case (_, S.CERTIFIED):
            return (Effect.CREATE_LIBRARY_ENTRY, Effect.CLOSE, Effect.NOTIFY_APPLICANT)
        case (_, S.REJECTED | S.VOIDED):
            return (Effect.CLOSE, Effect.NOTIFY_APPLICANT)
        case _:
            return ()


STATE_LABELS: Mapping[S, str] = MappingProxyType(
    {
        S.DRAFT: "草稿",
        S.SUBMITTED: "已提交",
        S.MUNICIPAL_REVIEW: "地市初审中",
        S.RETURNED: "退回补正",
        S.RESUBMITTED: "补正后重新提交",
        S.RECOMMENDED: "地市已推荐",
        S.EXPERT_REVIEW: "专家评审中",
        S.PROPOSED: "拟认定",
        S.PUBLICITY: "公示中",
        S.CERTIFIED: "已认定入库",
        S.REJECTED: "未通过",
        S.VOIDED: "申报无效",
    }
)

EVENT_LABELS: Mapping[Event, str] = MappingProxyType(
    {
        Event.SUBMIT: "提交申报",
        Event.FORWARD_TO_CITY: "转地市初审",
        Event.FORWARD_TO_PROVINCE: "转省级评审",
        Event.VERIFY_PLATFORM: "核实创新平台直接入库",
        Event.RETURN_FOR_COMPLETION: "退回补正",
        Event.RESUBMIT: "补正后重新提交",
        Event.RECOMMEND: "推荐",
        Event.REJECT: "不予通过",
        Event.PROPOSE: "拟认定",
        Event.START_PUBLICITY: "开始公示",
        Event.UPHOLD_OBJECTION: "异议成立",
        Event.CERTIFY: "正式认定",
        Event.VOID: "认定申报无效",
    }
)


# Library entries --------------------------------------------------------------------------


class EntryEvent(StrEnum):
    """What happens to a library entry after certification (Art.19)."""

    WARN = "warn"
    CLOSE_WARNING = "close_warning"
    WITHDRAW = "withdraw"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class EntryTransition:
    """Where an event leads an entry, who may cause it, the outbox kind it emits, the rule."""

    target: L
    roles: frozenset[Role]
    outbox: LibraryEventKind
    article: str


def _e(target: L, outbox: LibraryEventKind, article: str) -> EntryTransition:
    return EntryTransition(target, STAFF, outbox, article)


_REMOVED = LibraryEventKind.REMOVED
ENTRY_TRANSITIONS: Mapping[tuple[L, EntryEvent], EntryTransition] = MappingProxyType(
    {
        (L.CERTIFIED, EntryEvent.WARN): _e(L.WARNED, LibraryEventKind.WARNED, "Art.19(1)"),
        (L.WARNED, EntryEvent.CLOSE_WARNING): _e(
            L.CERTIFIED, LibraryEventKind.WARNING_CLOSED, "Art.19(1)"
        ),
        (L.CERTIFIED, EntryEvent.WITHDRAW): _e(
            L.WITHDRAWN, LibraryEventKind.WITHDRAWN, "Art.19(3)"
        ),
        (L.WARNED, EntryEvent.WITHDRAW): _e(L.WITHDRAWN, LibraryEventKind.WITHDRAWN, "Art.19(3)"),
        # Art.21 revokes a certification even after a withdrawal (撤销其认定资格).
        **{
            (state, EntryEvent.REMOVE): _e(L.REMOVED, _REMOVED, "Art.19")
            for state in L
            if state is not L.REMOVED
        },
    }
)

ENTRY_STATE_LABELS: Mapping[L, str] = MappingProxyType(
    {L.CERTIFIED: "在库", L.WARNED: "预警整改中", L.REMOVED: "已移出", L.WITHDRAWN: "已退出"}
)
ENTRY_EVENT_LABELS: Mapping[EntryEvent, str] = MappingProxyType(
    {
        EntryEvent.WARN: "发出预警",
        EntryEvent.CLOSE_WARNING: "整改合格、解除预警",
        EntryEvent.WITHDRAW: "退出资源库",
        EntryEvent.REMOVE: "移出资源库",
    }
)


def entry_transition(state: L, event: EntryEvent, *, role: Role) -> EntryTransition:
    """The transition of a library entry `role` may cause now, or the error saying why not."""
    transition = ENTRY_TRANSITIONS.get((state, event))
    if transition is None:
        raise TransitionNotAllowed(
            f"资源库条目当前状态“{ENTRY_STATE_LABELS[state]}”下不能执行“{ENTRY_EVENT_LABELS[event]}”",
            event=event.value,
            state=state.value,
            loc=("status",),
        )
    if role not in transition.roles:
        raise PermissionDenied(
            f"角色“{role.value}”不能执行“{ENTRY_EVENT_LABELS[event]}”",
            code="role_not_allowed",
            article=transition.article,
        )
    return transition
