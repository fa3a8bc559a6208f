"""Codes of resources registered through the portal: the first direction's prefix, the year in
Asia/Shanghai and a number (`AI-2026-0001`); stable when the resource is edited; never the
same twice, even when two providers save at the same moment; a loaded library keeps its own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.enums import Role
from registry.errors import Conflict
from registry.models.resources import Resource
from registry.reference import Direction
from registry.services import organisations, resource_codes, resources
from registry.storage import FileStore
from tests.db.factories import APPLICANT, add_user, at, org_input, resource_input, upload

UTC = ZoneInfo("UTC")


def _provider(session: Session, store: FileStore, n: int = 1) -> tuple[Actor, int]:
    org = organisations.register_organisation(
        session=session, actor=APPLICANT, now=at(2026, 1, 5), data=org_input(n), store=store,
        licence=upload("licence.pdf"),
    )  # fmt: skip
    actor = add_user(
        session, at(2026, 1, 5), f"provider-{n}", Role.PROVIDER, organisation_id=org.id
    )
    return actor, org.id


def _create(
    session: Session, actor: Actor, org_id: int, now: datetime, *directions: Direction
) -> Resource:
    data = resource_input(directions=directions or (Direction.AI, Direction.MANUFACTURING))
    return resources.create_resource(
        session=session, actor=actor, now=now, organisation_id=org_id, data=data
    )


def test_codes_read_by_direction_year_and_number(
    db_session: Session, file_store: FileStore
) -> None:
    actor, org_id = _provider(db_session, file_store)
    made = [
        _create(db_session, actor, org_id, at(2026, 3, 2)),
        _create(db_session, actor, org_id, at(2026, 3, 2)),
        _create(db_session, actor, org_id, at(2026, 3, 3), Direction.MANUFACTURING),
        _create(db_session, actor, org_id, at(2026, 3, 3), Direction.COMPREHENSIVE),
    ]
    assert [r.code for r in made] == [
        "AI-2026-0001",
        "AI-2026-0002",
        "MF-2026-0001",
        "CP-2026-0001",
    ]


def test_the_year_is_shanghais_and_numbers_count_past_9999(
    db_session: Session, file_store: FileStore
) -> None:
    actor, org_id = _provider(db_session, file_store)
    # 2026-12-31 16:30 UTC is already New Year's Day in Guangdong.
    first = _create(db_session, actor, org_id, datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert first.code == "AI-2027-0001"
    first.code = "AI-2027-9999"  # as if nine thousand more had been registered
    db_session.flush()
    assert _create(db_session, actor, org_id, at(2027, 2, 1)).code == "AI-2027-10000"
    assert _create(db_session, actor, org_id, at(2027, 2, 1)).code == "AI-2027-10001"


def test_a_loaded_librarys_codes_are_kept_and_never_collide(
    db_session: Session, file_store: FileStore
) -> None:
    actor, org_id = _provider(db_session, file_store)
    loaded = resources.create_resource(
        session=db_session, actor=actor, now=at(2026, 3, 1), organisation_id=org_id,
        data=resource_input(code="AI-001"),
    )  # fmt: skip
    assert loaded.code == "AI-001"
    assert _create(db_session, actor, org_id, at(2026, 3, 2)).code == "AI-2026-0001"
    with pytest.raises(Conflict) as taken:
        resources.create_resource(
            session=db_session, actor=actor, now=at(2026, 3, 2), organisation_id=org_id,
            data=resource_input(code="AI-2026-0001"),
        )  # fmt: skip
    assert taken.value.code == "resource_exists"


def test_editing_the_directions_keeps_the_code(db_session: Session, file_store: FileStore) -> None:
    actor, org_id = _provider(db_session, file_store)
    made = _create(db_session, actor, org_id, at(2026, 3, 2))
    resources.update_resource(
        session=db_session, actor=actor, now=at(2026, 3, 9), resource_id=made.id,
        data=resource_input(directions=(Direction.MARKET,)),
    )  # fmt: skip
    db_session.commit()
    assert db_session.get(Resource, made.id).code == "AI-2026-0001"  # type: ignore[union-attr]
    assert _create(db_session, actor, org_id, at(2026, 3, 9), Direction.MARKET).code == (
        "MK-2026-0001"
    )


def test_a_number_taken_meanwhile_is_counted_again(
    db_session: Session, file_store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor, org_id = _provider(db_session, file_store)
    _create(db_session, actor, org_id, at(2026, 3, 2))
    real = resource_codes.next_code
    stale = iter(["AI-2026-0001"])  # what a colleague's transaction had just committed

    def counted_before_the_colleague(**kwargs: Any) -> str:
        return next(stale, None) or real(**kwargs)

    monkeypatch.setattr(resource_codes, "next_code", counted_before_the_colleague)
    second = _create(db_session, actor, org_id, at(2026, 3, 2))
    db_session.commit()
    assert second.code == "AI-2026-0002"
    assert [d.value for d in second.direction_values] == ["人工智能应用", "制造生产"]
    codes = db_session.scalars(select(Resource.code).order_by(Resource.code)).all()
    assert codes == ["AI-2026-0001", "AI-2026-0002"]


def _create_in_thread(
    sessions: sessionmaker[Session], actor: Actor, org_id: int, barrier: threading.Barrier | None
) -> str:
    with sessions() as session:
        if barrier is not None:
            waited = {"done": False}

            @event.listens_for(session, "before_flush")
            def _together(*_: Any) -> None:  # both have counted; insert at the same moment
                if not waited["done"]:
                    waited["done"] = True
                    barrier.wait(timeout=10)

        made = _create(session, actor, org_id, at(2026, 4, 1))
        session.commit()
        return made.code


def test_two_providers_saving_at_once_get_two_codes(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore, db_url: str
) -> None:
    first, first_org = _provider(db_session, file_store, 1)
    second, second_org = _provider(db_session, file_store, 2)
    db_session.commit()
    # SQLite takes its write lock at BEGIN (the second waits for the first); PostgreSQL lets
    # both count the same number, and one insert fails on the unique code and counts again.
    barrier = threading.Barrier(2) if db_url.startswith("postgresql") else None
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_create_in_thread, db_sessions, actor, org_id, barrier)
            for actor, org_id in ((first, first_org), (second, second_org))
        ]
        codes = sorted(f.result(timeout=60) for f in futures)
    assert codes == ["AI-2026-0001", "AI-2026-0002"]
