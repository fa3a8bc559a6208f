"""The shortlists of an event's needs: stored from a computed shortlist, then ordered, added to,
annotated and trimmed by the organiser. Every change is audited on the event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.audit import record
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models.events import EventNeed, ShortlistItem
from registry.services.events import ItemInput, get_need, require_in_library


def save_shortlist(
    *, session: Session, actor: Actor, now: datetime, need_id: int, items: Sequence[ItemInput]
) -> list[ShortlistItem]:
    """Replace the need's shortlist with `items` in their order; notes of kept codes survive."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    codes = [i.resource_code for i in items]
    if len(set(codes)) != len(codes):
        raise InvalidInput("候选清单中有重复的资源", code="shortlist_duplicate", loc=("items",))
    require_in_library(session, codes)
    notes = {item.resource_code: item.note for item in need.items}
    need.items.clear()
    session.flush()  # the unique (need, code) rows go before the new ones come
    for position, data in enumerate(items, start=1):
        need.items.append(
            ShortlistItem(
                resource_code=data.resource_code, position=position, match_rank=data.match_rank,
                score=data.score, aspects=list(data.aspects),
                note=notes.get(data.resource_code, ""), created_at=now, updated_at=now,
            )
        )  # fmt: skip
    _touch(session, actor, now, need, "shortlist_save", {"codes": codes})
    return list(need.items)


def add_item(
    *, session: Session, actor: Actor, now: datetime, need_id: int, resource_code: str,
    note: str = "",
) -> ShortlistItem:  # fmt: skip
    """The organiser adds a resource by hand at the end of the shortlist."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    require_in_library(session, [resource_code])
    if any(item.resource_code == resource_code for item in need.items):
        raise Conflict(f"{resource_code} 已在该需求的候选清单中", code="shortlist_duplicate",
                       loc=("resource_code",))  # fmt: skip
    item = ShortlistItem(
        resource_code=resource_code, position=len(need.items) + 1, match_rank=None, score=None,
        aspects=[], note=note.strip(), created_at=now, updated_at=now,
    )  # fmt: skip
    need.items.append(item)
    _touch(session, actor, now, need, "shortlist_add", {"code": resource_code})
    return item


def reorder(
    *, session: Session, actor: Actor, now: datetime, need_id: int, codes: Sequence[str]
) -> list[ShortlistItem]:
    """Put the shortlist in the order of `codes`, which must name each item exactly once."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    current = {item.resource_code: item for item in need.items}
    if sorted(codes) != sorted(current):
        raise InvalidInput("新的顺序必须恰好包含清单中的每个资源一次", code="order_mismatch",
                           loc=("codes",))  # fmt: skip
    for position, code in enumerate(codes, start=1):
        current[code].position = position
        current[code].updated_at = now
    need.items.sort(key=lambda item: item.position)
    _touch(session, actor, now, need, "shortlist_reorder", {"codes": list(codes)})
    return list(need.items)


def annotate(
    *, session: Session, actor: Actor, now: datetime, need_id: int, resource_code: str, note: str
) -> ShortlistItem:
    """Set the organiser's note on one item."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    item = _item(need, resource_code)
    before = item.note
    item.note, item.updated_at = note.strip(), now
    _touch(session, actor, now, need, "shortlist_note",
           {"code": resource_code, "note": item.note}, before={"note": before})  # fmt: skip
    return item


def remove_item(
    *, session: Session, actor: Actor, now: datetime, need_id: int, resource_code: str
) -> None:
    """Take one resource off the shortlist; the rest close up."""
    need = get_need(session=session, actor=actor, need_id=need_id)
    need.items.remove(_item(need, resource_code))
    for position, item in enumerate(need.items, start=1):
        item.position = position
    _touch(session, actor, now, need, "shortlist_remove", {"code": resource_code})


def _item(need: EventNeed, resource_code: str) -> ShortlistItem:
    for item in need.items:
        if item.resource_code == resource_code:
            return item
    raise NotFound(f"{resource_code} 不在该需求的候选清单中", code="shortlist_item_not_found",
                   loc=("resource_code",))  # fmt: skip


def _touch(
    session: Session, actor: Actor, now: datetime, need: EventNeed, action: str,
    after: dict[str, object], before: dict[str, object] | None = None,
) -> None:  # fmt: skip
    need.event.updated_at = now
    session.flush()
    record(session, actor=actor, now=now, action=f"event.{action}", object_type="match_event",
           object_id=need.event_id, before=before, after={"need_id": need.id, **after})  # fmt: skip
