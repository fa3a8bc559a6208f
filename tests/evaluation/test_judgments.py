"""Judgments as data: recorded per need x resource x judge, merged into qrels on export, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from evaluation.golden import read_qrels, write_qrels
from registry.actor import Actor
from registry.enums import Role
from registry.errors import InvalidInput, NotFound, PermissionDenied
from registry.services.judgments import (
    JudgmentInput,
    export_qrels,
    export_queries,
    import_judgments,
    list_judgments,
    record_judgment,
    remove_judgment,
)
from registry.storage import FileStore
from tests.db.factories import add_provider_resource, add_user, at, build_world

NOW = at(2025, 12, 1)
NEED = "注塑件外观缺陷检测"


@pytest.fixture
def judges(db_session: Session, file_store: FileStore) -> tuple[Actor, Actor, Actor]:
    """Two relevance staff and an admin, with resources AI-001 and AI-002 in the registry."""
    world = build_world(db_session, file_store)
    add_provider_resource(db_session, file_store, NOW, n=2)
    ana = add_user(db_session, NOW, "ana", Role.RELEVANCE_STAFF)
    bo = add_user(db_session, NOW, "bo", Role.RELEVANCE_STAFF)
    admin = add_user(db_session, NOW, "root", Role.ADMIN)
    db_session.commit()
    assert world.staff.role is Role.PROVINCIAL_STAFF
    return ana, bo, admin


def judge(session: Session, actor: Actor, code: str, grade: int, minutes: int = 0) -> None:
    data = JudgmentInput(query_id="N1", query_text=NEED, resource_code=code, grade=grade)
    record_judgment(session=session, actor=actor, now=NOW + timedelta(minutes=minutes), data=data)


def test_a_judge_changing_their_mind_updates_their_row(
    db_session: Session, judges: tuple[Actor, Actor, Actor]
) -> None:
    ana, _, _ = judges
    judge(db_session, ana, "AI-001", 1)
    judge(db_session, ana, "AI-001", 3, minutes=5)
    db_session.commit()
    rows = list_judgments(session=db_session, query_id="N1")
    assert [(r.judge, r.resource_code, r.grade) for r in rows] == [("ana", "AI-001", 3)]
    assert rows[0].judged_at == NOW + timedelta(minutes=5)
    assert rows[0].query_text == NEED


def test_median_and_latest_merge_several_judges(
    db_session: Session, judges: tuple[Actor, Actor, Actor]
) -> None:
    ana, bo, admin = judges
    judge(db_session, ana, "AI-001", 3, minutes=1)
    judge(db_session, bo, "AI-001", 2, minutes=2)
    judge(db_session, admin, "AI-001", 0, minutes=3)
    judge(db_session, ana, "AI-002", 3, minutes=4)
    judge(db_session, bo, "AI-002", 1, minutes=0)
    db_session.commit()
    # AI-001: grades 3, 2, 0 -> median 2; latest is the admin's 0.
    # AI-002: grades 1, 3 -> lower median 1; latest is ana's 3 (minute 4).
    assert export_qrels(session=db_session) == {"N1": {"AI-001": 2, "AI-002": 1}}
    assert export_qrels(session=db_session, policy="latest") == {"N1": {"AI-001": 0, "AI-002": 3}}
    assert export_qrels(session=db_session, judges=["bo"]) == {"N1": {"AI-001": 2, "AI-002": 1}}
    assert export_queries(session=db_session) == {"N1": NEED}
    with pytest.raises(InvalidInput):
        export_qrels(session=db_session, policy="mean")


def test_exported_qrels_are_a_golden_set_file(
    db_session: Session, judges: tuple[Actor, Actor, Actor], tmp_path: Path
) -> None:
    ana, _, _ = judges
    judge(db_session, ana, "AI-001", 3)
    judge(db_session, ana, "AI-002", 0)
    write_qrels(tmp_path / "qrels.tsv", export_qrels(session=db_session))
    assert read_qrels(tmp_path / "qrels.tsv") == {"N1": {"AI-001": 3, "AI-002": 0}}


def test_an_import_records_under_a_label(
    db_session: Session, judges: tuple[Actor, Actor, Actor]
) -> None:
    _, _, admin = judges
    items = [JudgmentInput("N1", NEED, "AI-001", 3), JudgmentInput("N2", "MES", "AI-002", 1)]
    count = import_judgments(
        session=db_session, actor=admin, now=NOW, judge="golden-v1", items=items
    )
    assert count == 2
    assert {r.judge for r in list_judgments(session=db_session)} == {"golden-v1"}
    assert export_qrels(session=db_session) == {"N1": {"AI-001": 3}, "N2": {"AI-002": 1}}


def test_a_judge_withdraws_only_their_own_judgment(
    db_session: Session, judges: tuple[Actor, Actor, Actor]
) -> None:
    ana, bo, _ = judges
    judge(db_session, ana, "AI-001", 3)
    judge(db_session, bo, "AI-001", 1)
    assert remove_judgment(session=db_session, actor=ana, query_id="N1", resource_code="AI-001")
    assert not remove_judgment(session=db_session, actor=ana, query_id="N1", resource_code="AI-001")
    assert [r.judge for r in list_judgments(session=db_session)] == ["bo"]


@pytest.mark.parametrize(
    ("changes", "error", "code"),
    [
        ({"grade": 4}, InvalidInput, "invalid_grade"),
        ({"grade": -1}, InvalidInput, "invalid_grade"),
        ({"grade": True}, InvalidInput, "invalid_grade"),
        ({"query_id": "N 1"}, InvalidInput, "invalid_query_id"),
        ({"query_text": "  "}, InvalidInput, "invalid_query_text"),
        ({"resource_code": "ZZ-999"}, NotFound, "resource_not_found"),
    ],
)
def test_bad_judgments_are_refused(
    db_session: Session,
    judges: tuple[Actor, Actor, Actor],
    changes: dict[str, object],
    error: type[Exception],
    code: str,
) -> None:
    ana, _, _ = judges
    values: dict[str, object] = {"query_id": "N1", "query_text": NEED, "resource_code": "AI-001"}
    values |= {"grade": 2} | changes
    with pytest.raises(error) as caught:
        record_judgment(session=db_session, actor=ana, now=NOW, data=JudgmentInput(**values))  # type: ignore[arg-type]
    assert getattr(caught.value, "code", None) == code


def test_only_relevance_staff_and_admins_judge(db_session: Session, file_store: FileStore) -> None:
    world = build_world(db_session, file_store)
    data = JudgmentInput("N1", NEED, "AI-001", 2)
    for actor in (world.staff, world.provider, world.experts[0]):
        with pytest.raises(PermissionDenied):
            record_judgment(session=db_session, actor=actor, now=NOW, data=data)
    nobody = Actor(user_id=None, role=Role.RELEVANCE_STAFF)
    with pytest.raises(InvalidInput, match="账号"):
        record_judgment(session=db_session, actor=nobody, now=NOW, data=data)
