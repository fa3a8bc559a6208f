"""The loader on a small fixture: every outcome through the real workflow, the injected clock,
deterministic scores, idempotence, refusals that stop the load (or not), bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry import library
from registry.db import Base, make_engine, session_factory
from registry.enums import ApplicationStatus as S
from registry.errors import InvalidInput
from registry.loader import LoadReport, Progress, SeedFiles, final_statuses, load, read_files
from registry.models import (
    Application,
    ApplicationFinding,
    ApplicationHistory,
    AuditEntry,
    Expert,
    ExpertPanel,
    ExpertScore,
    MunicipalReview,
    Objection,
    PanelAssignment,
    Resource,
    User,
)
from registry.storage import FileStore
from registry.workdays import SHANGHAI, WorkCalendar
from tests.db.factories import FAST_HASHER, row_counts

FIXTURE = Path(__file__).parent / "fixtures" / "loader"
EXPECTED = {
    "TS-001": "certified",
    "TS-002": "draft",
    "TS-003": "municipal_review",
    "TS-004": "returned",
    "TS-005": "certified",  # returned, completed, resubmitted, certified
    "TS-006": "rejected",  # by the city
    "TS-007": "expert_review",
    "TS-008": "rejected",  # by the panel
    "TS-009": "publicity",
    "TS-010": "publicity",  # an objection not yet decided
    "TS-011": "rejected",  # an objection upheld
    "TS-012": "certified",  # an objection found unfounded
    "TS-013": "certified",  # Art.16
    "TS-014": "certified",  # Art.17
    "TS-015": "certified",  # 综合赋能 consortium
}
CALENDAR = WorkCalendar()


def fixture_files(*names: str) -> SeedFiles:
    return read_files(
        batches_path=FIXTURE / "batches.yaml",
        users_path=FIXTURE / "users.yaml",
        library_paths=[FIXTURE / name for name in names],
    )


def run(
    sessions: sessionmaker[Session],
    store: FileStore,
    *names: str,
    keep_going: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> LoadReport:
    return load(
        sessions=sessions,
        store=store,
        files=fixture_files(*names),
        keep_going=keep_going,
        progress=progress,
        hasher=FAST_HASHER,
    )


def test_every_outcome(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    seen: list[Progress] = []
    report = run(db_sessions, file_store, "library.yaml", progress=seen.append)
    assert report.ok and not report.stopped
    assert (report.users_created, report.batches_created, report.organisations_created) == (
        9,
        1,
        5,
    )
    assert report.loaded == EXPECTED
    assert final_statuses(db_session) == EXPECTED
    assert [p.index for p in seen] == list(range(1, 16)) and {p.total for p in seen} == {15}
    views = {v.resource_code: v for v in library.entries(session=db_session)}
    assert sorted(views) == sorted(c for c, s in EXPECTED.items() if s == "certified")
    assert views["TS-001"].priority and not views["TS-012"].priority
    assert views["TS-015"].consortium_names == ("广州艾普西隆数据科技有限公司",)
    assert views["TS-013"].provider_city == "省外"
    events = library.events_after(session=db_session, after_id=0)
    assert sorted((e.resource_code, e.kind.value) for e in events) == sorted(
        [(code, "certified") for code in views] + [("TS-001", "priority_set")]
    )


def _events(session: Session, code: str) -> list[str]:
    return list(
        session.scalars(
            select(ApplicationHistory.event)
            .join(Application)
            .join(Resource)
            .where(Resource.code == code)
            .order_by(ApplicationHistory.id)
        )
    )


def test_routes_returns_objections_and_waivers(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    run(db_sessions, file_store, "library.yaml")
    s = db_session
    assert _events(s, "TS-014") == ["submit", "verify_platform"]
    assert _events(s, "TS-013") == [
        "submit",
        "forward_to_province",
        "propose",
        "start_publicity",
        "certify",
    ]
    assert _events(s, "TS-005")[:6] == [
        "submit",
        "forward_to_city",
        "return_for_completion",
        "resubmit",
        "forward_to_city",
        "recommend",
    ]
    waived = s.scalars(
        select(ApplicationFinding.code)
        .join(Application)
        .join(Resource)
        .where(Resource.code == "TS-005")
    ).all()
    assert "art7.years_waived" in waived
    decisions = dict(
        s.execute(
            select(Resource.code, Objection.decision)
            .join(Application, Objection.application_id == Application.id)
            .join(Resource)
        ).all()
    )
    assert {k: v and v.value for k, v in decisions.items()} == {
        "TS-010": None,
        "TS-011": "upheld",
        "TS-012": "unfounded",
    }
    reasons = s.scalars(select(MunicipalReview.reasons).order_by(MunicipalReview.id)).all()
    assert "请补充案例三的用户反馈原件" in reasons
    scored = s.scalar(
        select(func.count())
        .select_from(ExpertScore)
        .join(PanelAssignment)
        .join(ExpertPanel)
        .join(Application)
        .join(Resource)
        .where(Resource.code == "TS-007")
    )
    assert scored == 1  # still in expert review: one of three experts has scored


def test_history_and_audit_agree(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    run(db_sessions, file_store, "library.yaml")
    for app_id in db_session.scalars(select(Application.id)):
        history = _events_by_id(db_session, app_id)
        audited = db_session.scalars(
            select(AuditEntry.action)
            .where(
                AuditEntry.object_type == "application",
                AuditEntry.object_id == str(app_id),
                AuditEntry.action.like("application.%"),
                AuditEntry.action.not_in(["application.create", "application.years_waiver"]),
            )
            .order_by(AuditEntry.id)
        ).all()
        assert [f"application.{e}" for e in history] == audited


def _events_by_id(session: Session, app_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ApplicationHistory.event)
            .where(ApplicationHistory.application_id == app_id)
            .order_by(ApplicationHistory.id)
        )
    )


def test_conflicted_expert_never_reviews_its_own_company(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    run(db_sessions, file_store, "library.yaml")
    insider = db_session.scalar(select(Expert).join(User).where(User.username == "expert-tech-2"))
    assert insider is not None and insider.affiliation == "广州阿尔法智能装备有限公司"
    owners = db_session.scalars(
        select(Resource.organisation_id)
        .join(Application)
        .join(ExpertPanel)
        .join(PanelAssignment)
        .where(PanelAssignment.expert_id == insider.id)
    ).all()
    alpha = db_session.scalar(select(Resource.organisation_id).where(Resource.code == "TS-001"))
    assert owners and alpha not in owners


def _local_day(moment: object) -> object:
    return moment.astimezone(SHANGHAI).date()  # type: ignore[attr-defined]


def test_timeline_follows_the_injected_clock(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    run(db_sessions, file_store, "library.yaml")
    apps = db_session.scalars(
        select(Application).where(
            Application.status == S.CERTIFIED, Application.route == "municipal"
        )
    ).all()
    assert len(apps) == 4
    days = CALENDAR.working_days_between
    for app in apps:
        assert app.submitted_at is not None and app.recommended_at is not None
        submitted = app.submitted_at.astimezone(SHANGHAI)
        assert (submitted.hour, submitted.minute) == (9, 30)
        first_decision = min(
            r.decided_at
            for r in db_session.scalars(
                select(MunicipalReview).where(MunicipalReview.application_id == app.id)
            )
        )
        assert 2 <= days(submitted.date(), _local_day(first_decision)) <= 6  # type: ignore[arg-type]
        scored = max(
            db_session.scalars(
                select(ExpertScore.scored_at)
                .join(PanelAssignment)
                .join(ExpertPanel)
                .where(ExpertPanel.application_id == app.id)
            )
        )
        assert 1 <= days(_local_day(app.recommended_at), _local_day(scored)) <= 3  # type: ignore[arg-type]
        assert app.publicity_started_at is not None and app.publicity_due_at is not None
        assert days(_local_day(scored), _local_day(app.publicity_started_at)) == 1  # type: ignore[arg-type]
        assert app.decided_at is not None and app.decided_at > app.publicity_due_at
        assert days(_local_day(app.publicity_due_at), _local_day(app.decided_at)) == 1  # type: ignore[arg-type]
        assert app.municipal_due_at is not None and first_decision <= app.municipal_due_at
        assert app.expert_due_at is not None and scored <= app.expert_due_at


def _scores(sessions: sessionmaker[Session]) -> dict[tuple[str, str], tuple[int, ...]]:
    with sessions() as session:
        rows = session.execute(
            select(Resource.code, User.username, ExpertScore)
            .select_from(ExpertScore)
            .join(PanelAssignment, ExpertScore.assignment_id == PanelAssignment.id)
            .join(Expert, PanelAssignment.expert_id == Expert.id)
            .join(User, Expert.user_id == User.id)
            .join(ExpertPanel, PanelAssignment.panel_id == ExpertPanel.id)
            .join(Application, ExpertPanel.application_id == Application.id)
            .join(Resource, Application.resource_id == Resource.id)
        ).all()
        return {
            (code, user): (s.advancement, s.maturity, s.application_effect, s.promotion_value)
            for code, user, s in rows
        }


def test_scores_are_deterministic_and_plausible(
    db_sessions: sessionmaker[Session], file_store: FileStore, tmp_path: Path
) -> None:
    run(db_sessions, file_store, "library.yaml")
    other = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    Base.metadata.create_all(other)
    run(session_factory(other), FileStore(tmp_path / "again"), "library.yaml")
    first, second = _scores(db_sessions), _scores(session_factory(other))
    other.dispose()
    assert first == second and len(first) > 20
    means: dict[str, list[float]] = {}
    for (code, _), values in first.items():
        assert all(0 <= v <= 100 for v in values)
        means.setdefault(code, []).append(sum(values) / 4)
    assert max(means["TS-008"]) < 60  # the panel rejected it
    assert min(v for code, vs in means.items() if code != "TS-008" for v in vs) >= 69


def test_reload_changes_nothing(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    run(db_sessions, file_store, "library.yaml")
    before = row_counts(db_session)
    again = run(db_sessions, file_store, "library.yaml")
    assert row_counts(db_session) == before
    assert again.loaded == {} and sorted(again.unchanged) == sorted(EXPECTED)
    assert (again.users_created, again.batches_created, again.organisations_created) == (0, 0, 0)


def test_refused_submission_stops_the_load(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    report = run(db_sessions, file_store, "library.yaml", "refused.yaml")
    assert report.stopped and list(report.refused) == ["TZ-001"]  # the earliest submission
    assert report.loaded == {}
    error = report.refused["TZ-001"]
    assert [(f.code, f.article) for f in error.findings if f.blocking] == [
        ("art9.cases_too_few", "Art.9(2)")
    ]
    counts = row_counts(db_session)
    assert counts["resources"] == counts["organisations"] == counts["applications"] == 0
    assert counts["users"] == 9  # accounts and batches come first and stay


def test_keep_going_loads_the_rest(
    db_sessions: sessionmaker[Session], db_session: Session, file_store: FileStore
) -> None:
    report = run(db_sessions, file_store, "library.yaml", "refused.yaml", keep_going=True)
    assert not report.stopped and list(report.refused) == ["TZ-001"]
    assert report.loaded == EXPECTED | {"TZ-002": "certified"}
    assert db_session.scalar(select(Resource.id).where(Resource.code == "TZ-001")) is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "route: direct_entry\n      submitted_on: 2025-10-30",
            "route: direct_entry\n      outcome: publicity\n      submitted_on: 2025-10-30",
            "直接入库",
        ),
        (
            "batch: 2025Q4, route: provincial_direct",
            "batch: 2026Q1, route: provincial_direct",
            "未知批次 2026Q1",
        ),
        ("outcome: objection_pending\n", "outcome: objection_upheld\n", "objection.upheld"),
    ],
)
def test_inconsistent_files_are_refused_before_loading(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = (FIXTURE / "library.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "library.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_files(
            batches_path=FIXTURE / "batches.yaml",
            users_path=FIXTURE / "users.yaml",
            library_paths=[tmp_path / "library.yaml"],
        )
    assert info.value.code == "seed_file_invalid"
    assert message in info.value.message
