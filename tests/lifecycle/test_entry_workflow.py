"""The library-entry transition table (Art.19): every (state, event) pair."""

from __future__ import annotations

import itertools

import pytest

from registry.enums import LibraryEventKind as K
from registry.enums import LibraryStatus as L
from registry.enums import Role
from registry.errors import PermissionDenied, TransitionNotAllowed
from registry.workflow import ENTRY_TRANSITIONS, EntryEvent, entry_transition

E = EntryEvent
EXPECTED = {
    (L.CERTIFIED, E.WARN): (L.WARNED, K.WARNED, "Art.19(1)"),
    (L.WARNED, E.CLOSE_WARNING): (L.CERTIFIED, K.WARNING_CLOSED, "Art.19(1)"),
    (L.CERTIFIED, E.WITHDRAW): (L.WITHDRAWN, K.WITHDRAWN, "Art.19(3)"),
    (L.WARNED, E.WITHDRAW): (L.WITHDRAWN, K.WITHDRAWN, "Art.19(3)"),
    (L.CERTIFIED, E.REMOVE): (L.REMOVED, K.REMOVED, "Art.19"),
    (L.WARNED, E.REMOVE): (L.REMOVED, K.REMOVED, "Art.19"),
    (L.WITHDRAWN, E.REMOVE): (L.REMOVED, K.REMOVED, "Art.19"),  # Art.21 revokes it anyway
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(L, E)))
def test_every_pair(state: L, event: EntryEvent) -> None:
    expected = EXPECTED.get((state, event))
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as refused:
            entry_transition(state, event, role=Role.PROVINCIAL_STAFF)
        assert (refused.value.event, refused.value.state) == (event.value, state.value)
        return
    transition = entry_transition(state, event, role=Role.PROVINCIAL_STAFF)
    assert (transition.target, transition.outbox, transition.article) == expected


def test_the_table_is_exactly_the_expected_one() -> None:
    assert set(ENTRY_TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PROVINCIAL_STAFF])
def test_only_provincial_staff_move_entries(role: Role) -> None:
    with pytest.raises(PermissionDenied) as refused:
        entry_transition(L.CERTIFIED, E.WARN, role=role)
    assert refused.value.code == "role_not_allowed" and refused.value.article == "Art.19(1)"
