"""The transition table, pair by pair, against the workflow the Measures and the issue describe."""

from __future__ import annotations

import itertools

import pytest

from registry import workflow
from registry.enums import ApplicationStatus as S
from registry.enums import Role
from registry.errors import PermissionDenied, TransitionNotAllowed
from registry.seed_schema import Route
from registry.workflow import Effect, Event

M, P, D = Route.MUNICIPAL, Route.PROVINCIAL_DIRECT, Route.DIRECT_ENTRY
PROVIDER, CITY, STAFF = Role.PROVIDER, Role.MUNICIPAL_REVIEWER, Role.PROVINCIAL_STAFF
AUTO = None  # only the workflow follows it

# Written out by hand from the issue: (state, event) -> (target, who, routes).
EXPECTED: dict[tuple[S, Event], tuple[S, Role | None, set[Route]]] = {
    (S.DRAFT, Event.SUBMIT): (S.SUBMITTED, PROVIDER, {M, P, D}),
    (S.SUBMITTED, Event.FORWARD_TO_CITY): (S.MUNICIPAL_REVIEW, AUTO, {M}),
    (S.SUBMITTED, Event.FORWARD_TO_PROVINCE): (S.EXPERT_REVIEW, AUTO, {P}),
    (S.SUBMITTED, Event.VERIFY_PLATFORM): (S.CERTIFIED, STAFF, {D}),
    (S.SUBMITTED, Event.REJECT): (S.REJECTED, STAFF, {D}),
    (S.MUNICIPAL_REVIEW, Event.RETURN_FOR_COMPLETION): (S.RETURNED, CITY, {M}),
    (S.MUNICIPAL_REVIEW, Event.REJECT): (S.REJECTED, CITY, {M}),
    (S.MUNICIPAL_REVIEW, Event.RECOMMEND): (S.RECOMMENDED, CITY, {M}),
    (S.RETURNED, Event.RESUBMIT): (S.RESUBMITTED, PROVIDER, {M}),
    (S.RESUBMITTED, Event.FORWARD_TO_CITY): (S.MUNICIPAL_REVIEW, AUTO, {M}),
    (S.RECOMMENDED, Event.FORWARD_TO_PROVINCE): (S.EXPERT_REVIEW, AUTO, {M}),
    (S.EXPERT_REVIEW, Event.REJECT): (S.REJECTED, STAFF, {M, P}),
    (S.EXPERT_REVIEW, Event.PROPOSE): (S.PROPOSED, STAFF, {M, P}),
    (S.PROPOSED, Event.START_PUBLICITY): (S.PUBLICITY, STAFF, {M, P}),
    (S.PUBLICITY, Event.UPHOLD_OBJECTION): (S.REJECTED, STAFF, {M, P}),
    (S.PUBLICITY, Event.CERTIFY): (S.CERTIFIED, STAFF, {M, P}),
    **{
        (state, Event.VOID): (S.VOIDED, STAFF, {M, P, D})
        for state in (
            S.SUBMITTED,
            S.MUNICIPAL_REVIEW,
            S.RETURNED,
            S.RESUBMITTED,
            S.RECOMMENDED,
            S.EXPERT_REVIEW,
            S.PROPOSED,
            S.PUBLICITY,
        )
    },
}
ALL_PAIRS = list(itertools.product(S, Event))


def test_table_is_exactly_the_expected_workflow() -> None:
    actual = {
        pair: (t.target, next(iter(t.roles)) if t.roles else AUTO, set(t.routes))
        for pair, t in workflow.TRANSITIONS.items()
    }
    assert actual == EXPECTED
    assert all(len(t.roles) <= 1 for t in workflow.TRANSITIONS.values())


@pytest.mark.parametrize(("state", "event"), ALL_PAIRS, ids=lambda v: str(v))
def test_every_state_event_pair(state: S, event: Event) -> None:
    expected = EXPECTED.get((state, event))
    for route in Route:
        if expected is not None and route in expected[2]:
            target, role, _ = expected
            transition = workflow.check(
                state, event, role=role or Role.ADMIN, route=route, automatic=role is AUTO
            )
            assert transition.target is target
            assert transition.article.startswith("Art.")
        else:
            with pytest.raises(TransitionNotAllowed) as info:
                workflow.transition_for(state, event, route=route)
            assert info.value.event == event.value
            assert info.value.state == state.value
            assert info.value.code == "transition_not_allowed"


@pytest.mark.parametrize("pair", sorted(EXPECTED, key=str), ids=str)
def test_only_the_allowed_role_may_cause_it(pair: tuple[S, Event]) -> None:
    state, event = pair
    _, allowed, routes = EXPECTED[pair]
    route = sorted(routes)[0]
    for role in Role:
        if role is allowed:
            continue
        with pytest.raises(PermissionDenied) as info:
            workflow.check(state, event, role=role, route=route)
        assert info.value.code == "role_not_allowed"
    if allowed is AUTO:  # the workflow follows it; no user may fire it directly
        assert workflow.check(state, event, role=PROVIDER, route=route, automatic=True)
    else:
        with pytest.raises(PermissionDenied):
            workflow.check(state, event, role=allowed, route=route, automatic=True)


@pytest.mark.parametrize(
    ("state", "route", "event"),
    [
        (S.SUBMITTED, M, Event.FORWARD_TO_CITY),
        (S.SUBMITTED, P, Event.FORWARD_TO_PROVINCE),
        (S.SUBMITTED, D, None),  # waits for the province to verify the platform (Art.17)
        (S.RESUBMITTED, M, Event.FORWARD_TO_CITY),
        (S.RECOMMENDED, M, Event.FORWARD_TO_PROVINCE),
        (S.MUNICIPAL_REVIEW, M, None),
        (S.CERTIFIED, M, None),
    ],
)
def test_follow_ups(state: S, route: Route, event: Event | None) -> None:
    assert workflow.follow_up(state, route) is event


def test_every_follow_up_is_an_automatic_transition() -> None:
    for (state, route), event in workflow.FOLLOW_UPS.items():
        assert workflow.transition_for(state, event, route=route).automatic


def test_final_states_have_no_way_out() -> None:
    for state in workflow.FINAL_STATES:
        assert not [pair for pair in workflow.TRANSITIONS if pair[0] is state]


def test_every_state_is_reachable_from_draft() -> None:
    seen, todo = {S.DRAFT}, [S.DRAFT]
    while todo:
        state = todo.pop()
        for (source, _), t in workflow.TRANSITIONS.items():
            if source is state and t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    assert seen == set(S)


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (S.DRAFT, S.SUBMITTED, (Effect.RECORD_SUBMISSION,)),
        (S.SUBMITTED, S.MUNICIPAL_REVIEW, (Effect.START_MUNICIPAL_CLOCK,)),
        (S.RESUBMITTED, S.MUNICIPAL_REVIEW, (Effect.START_MUNICIPAL_CLOCK,)),
        (S.MUNICIPAL_REVIEW, S.RETURNED, (Effect.NOTIFY_APPLICANT,)),
        (S.MUNICIPAL_REVIEW, S.RECOMMENDED, (Effect.RECORD_RECOMMENDATION,)),
        (S.SUBMITTED, S.EXPERT_REVIEW, (Effect.START_EXPERT_CLOCK,)),
        (S.PROPOSED, S.PUBLICITY, (Effect.START_PUBLICITY_CLOCK, Effect.NOTIFY_APPLICANT)),
        (
            S.PUBLICITY,
            S.CERTIFIED,
            (Effect.CREATE_LIBRARY_ENTRY, Effect.CLOSE, Effect.NOTIFY_APPLICANT),
        ),
        (
            S.SUBMITTED,
            S.CERTIFIED,
            (Effect.CREATE_LIBRARY_ENTRY, Effect.CLOSE, Effect.NOTIFY_APPLICANT),
        ),
        (S.PUBLICITY, S.REJECTED, (Effect.CLOSE, Effect.NOTIFY_APPLICANT)),
        (S.EXPERT_REVIEW, S.VOIDED, (Effect.CLOSE, Effect.NOTIFY_APPLICANT)),
        (S.EXPERT_REVIEW, S.PROPOSED, ()),
    ],
)
def test_side_effects(previous: S, current: S, expected: tuple[Effect, ...]) -> None:
    assert workflow.effects(previous, current) == expected


def test_labels_cover_every_state_and_event() -> None:
    assert set(workflow.STATE_LABELS) == set(S)
    assert set(workflow.EVENT_LABELS) == set(Event)


def test_allowed_events_for_a_city_reviewer() -> None:
    events = workflow.allowed_events(S.MUNICIPAL_REVIEW, role=CITY, route=M)
    assert set(events) == {Event.RETURN_FOR_COMPLETION, Event.REJECT, Event.RECOMMEND}
    assert workflow.allowed_events(S.MUNICIPAL_REVIEW, role=PROVIDER, route=M) == []
