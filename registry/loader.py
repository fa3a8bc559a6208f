"""Loading YAML descriptions of organisations, resources and cases through the real pipeline.

`load()` reads `batches.yaml`, `users.yaml` and library files (`registry.seed_schema`), creates
the accounts and batches, then for each resource — in its own transaction — registers its
organisations once, creates the provider account, the resource, its cases and evidence (small
generated placeholder files), and drives the application through the workflow as the right
actors with an injected clock (`registry.loader_timeline`). Loading the same files again
changes nothing: accounts, batches, organisations and resources that exist are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry import seed_schema as seed
from registry.actor import Actor
from registry.enums import Role
from registry.errors import InvalidInput, RegistryError
from registry.loader_inputs import (
    case_input,
    direct_entry_input,
    evidence_input,
    organisation_input,
    placeholder,
    resource_input,
)
from registry.loader_timeline import Cast, Run, problems
from registry.models.accounts import User
from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services import accounts, batches, organisations, resources, submissions
from registry.storage import FileStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor(user_id=None, role=Role.ADMIN)  # the operator running the load
APPLICANT = Actor(user_id=None, role=Role.PROVIDER)  # an organisation registering itself


@dataclass(frozen=True, slots=True)
class Progress:
    """One resource done: `result` is its final status, "unchanged" or "refused"."""

    index: int
    total: int
    code: str
    result: str
    error: RegistryError | None = None


@dataclass
class LoadReport:
    """What a load did."""

    users_created: int = 0
    batches_created: int = 0
    organisations_created: int = 0
    loaded: dict[str, str] = field(default_factory=dict)  # resource code -> final status
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, RegistryError] = field(default_factory=dict)
    stopped: bool = False  # stopped at the first refusal (no keep_going)

    @property
    def ok(self) -> bool:
        """True when nothing was refused."""
        return not self.refused


@dataclass(frozen=True, slots=True)
class SeedFiles:
    """The parsed and structurally validated input files."""

    batches: seed.BatchesFile
    users: seed.UsersFile
    library: list[seed.SeedFile]


def read_files(*, batches_path: Path, users_path: Path, library_paths: Sequence[Path]) -> SeedFiles:
    """Parse and validate the files; InvalidInput lists every problem found."""
    try:
        parsed = SeedFiles(
            batches=seed.BatchesFile.model_validate(_yaml(batches_path)),
            users=seed.UsersFile.model_validate(_yaml(users_path)),
            library=seed.load_seed_files([str(p) for p in library_paths]),
        )
    except (ValidationError, ValueError, OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"数据文件有误：{exc}", code="seed_file_invalid") from exc
    issues = [
        f"{res.code}: {problem}"
        for f in parsed.library
        for res in f.resources
        for problem in problems(res.application)
    ]
    known = {b.code for b in parsed.batches.batches}
    issues += [
        f"{res.code}: 未知批次 {res.application.batch}"
        for f in parsed.library
        for res in f.resources
        if res.application.batch not in known
    ]
    if issues:
        raise InvalidInput("数据文件有误：" + "；".join(issues), code="seed_file_invalid")
    return parsed


def _yaml(path: Path) -> object:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """A moment of `day` in Asia/Shanghai (the loader's clock)."""
    return datetime.combine(day, time(hh, mm), SHANGHAI)


def load(
    *,
    sessions: sessionmaker[Session],
    store: FileStore,
    files: SeedFiles,
    keep_going: bool = False,
    progress: Callable[[Progress], None] | None = None,
    hasher: PasswordHasher = accounts.DEFAULT_HASHER,
) -> LoadReport:
    """Load everything in `files`; refused resources are reported, never half-loaded."""
    report = LoadReport()
    setup_at = at(min(b.opens_on for b in files.batches.batches) - timedelta(days=14), 9)
    with sessions() as session:
        _users(session, files.users, setup_at, hasher, report)
        cast = _cast(session)
        _batches(session, files.batches, cast.staff, setup_at, report)
        session.commit()
    orgs = {o.key: o for f in files.library for o in f.organisations}
    todo = sorted(
        (r for f in files.library for r in f.resources),
        key=lambda r: (r.application.submitted_on, r.code),
    )
    for index, spec in enumerate(todo, start=1):
        result, error = _one(sessions, store, spec, orgs, files.users, cast, hasher, report)
        if progress is not None:
            progress(Progress(index, len(todo), spec.code, result, error))
        if error is not None and not keep_going:
            report.stopped = True
            break
    return report


def _one(
    sessions: sessionmaker[Session],
    store: FileStore,
    spec: seed.Resource,
    orgs: dict[str, seed.Organisation],
    users: seed.UsersFile,
    cast: Cast,
    hasher: PasswordHasher,
    report: LoadReport,
) -> tuple[str, RegistryError | None]:
    with sessions() as session:
        if session.scalar(select(Resource.id).where(Resource.code == spec.code)) is not None:
            report.unchanged.append(spec.code)
            return "unchanged", None
        created_orgs = report.organisations_created
        try:
            status = _load_resource(session, store, spec, orgs, users, cast, hasher, report)
            session.commit()
        except RegistryError as exc:
            session.rollback()
            report.organisations_created = created_orgs
            report.refused[spec.code] = exc
            return "refused", exc
    report.loaded[spec.code] = status
    return status, None


def _load_resource(
    session: Session,
    store: FileStore,
    spec: seed.Resource,
    orgs: dict[str, seed.Organisation],
    users: seed.UsersFile,
    cast: Cast,
    hasher: PasswordHasher,
    report: LoadReport,
) -> str:
    submitted_on = spec.application.submitted_on
    owner, provider = _organisation(
        session, store, orgs[spec.org], submitted_on, users, hasher, report
    )
    members = [
        _organisation(session, store, orgs[key], submitted_on, users, hasher, report)[0]
        for key in spec.consortium
    ]
    prepared = at(submitted_on - timedelta(days=7), 14)
    resource = resources.create_resource(
        session=session,
        actor=provider,
        now=prepared,
        organisation_id=owner.id,
        data=resource_input(spec, tuple(m.uscc for m in members)),
    )
    for case in spec.cases:
        resources.add_case(
            session=session,
            actor=provider,
            now=prepared,
            resource_id=resource.id,
            data=case_input(case),
        )
    for evidence in spec.evidence:
        resources.add_evidence(
            session=session,
            actor=provider,
            now=prepared,
            store=store,
            organisation_id=owner.id,
            resource_id=resource.id,
            data=evidence_input(evidence),
            upload=placeholder(evidence.kind.value, evidence.title, owner.name, evidence.number),
        )
    application = submissions.start_application(
        session=session,
        actor=provider,
        now=prepared,
        resource_id=resource.id,
        batch_code=spec.application.batch,
        route=spec.application.route,
        direct_entry=direct_entry_input(spec.application.direct_entry),
    )
    Run(session, application, spec.application, cast, provider).drive()
    session.refresh(application)
    return application.status.value


def _organisation(
    session: Session,
    store: FileStore,
    org: seed.Organisation,
    first_needed: date,
    users: seed.UsersFile,
    hasher: PasswordHasher,
    report: LoadReport,
) -> tuple[Organisation, Actor]:
    """The registered organisation and its provider, registering both on first use."""
    found = organisations.find_by_uscc(session=session, uscc=org.uscc)
    if found is None:
        registered_at = at(first_needed - timedelta(days=14), 10)
        found = organisations.register_organisation(
            session=session,
            actor=APPLICANT,
            now=registered_at,
            data=organisation_input(org),
            store=store,
            licence=placeholder("营业执照", org.name, org.name, org.uscc),
        )
        accounts.create_user(
            session=session,
            actor=SYSTEM,
            now=registered_at,
            username=org.key,
            password=users.password,
            role=Role.PROVIDER,
            display_name=f"{org.name}（{org.contact.name}）"[:100],
            organisation_id=found.id,
            hasher=hasher,
        )
        report.organisations_created += 1
        provider = _provider(session, found.id)
        for doc in org.financial_documents:
            resources.add_evidence(
                session=session,
                actor=provider,
                now=registered_at,
                store=store,
                organisation_id=found.id,
                resource_id=None,
                data=evidence_input(doc),
                upload=placeholder(doc.kind.value, doc.title, org.name, doc.number),
            )
    return found, _provider(session, found.id)


def _provider(session: Session, organisation_id: int) -> Actor:
    user = session.scalar(
        select(User)
        .where(User.organisation_id == organisation_id, User.role == Role.PROVIDER)
        .order_by(User.id)
    )
    if user is None:
        raise InvalidInput(f"申报单位 {organisation_id} 没有申报账号", code="loader_no_provider")
    return Actor.of(user)


def _users(
    session: Session,
    spec: seed.UsersFile,
    now: datetime,
    hasher: PasswordHasher,
    report: LoadReport,
) -> None:
    for user in spec.users:
        if accounts.find_user(session=session, username=user.username) is not None:
            continue
        profile = None
        if user.category is not None and user.affiliation is not None:
            profile = accounts.ExpertProfile(category=user.category, affiliation=user.affiliation)
        accounts.create_user(
            session=session,
            actor=SYSTEM,
            now=now,
            username=user.username,
            password=spec.password,
            role=user.role,
            display_name=user.display_name,
            city=user.city,
            expert=profile,
            hasher=hasher,
        )
        report.users_created += 1


def _cast(session: Session) -> Cast:
    staff = session.scalar(
        select(User).where(User.role == Role.PROVINCIAL_STAFF, User.is_active).order_by(User.id)
    )
    if staff is None:
        raise InvalidInput(
            "users.yaml 中至少需要一名省工信厅人员（provincial_staff）", code="loader_no_staff"
        )
    reviewers = session.scalars(
        select(User).where(User.role == Role.MUNICIPAL_REVIEWER, User.is_active).order_by(User.id)
    )
    by_city: dict[str, Actor] = {}
    for reviewer in reviewers:
        if reviewer.city is not None:
            by_city.setdefault(reviewer.city, Actor.of(reviewer))
    return Cast(staff=Actor.of(staff), reviewers=by_city)


def _batches(
    session: Session, spec: seed.BatchesFile, staff: Actor, now: datetime, report: LoadReport
) -> None:
    for batch in spec.batches:
        if batches.find_batch(session=session, code=batch.code) is None:
            batches.create_batch(
                session=session,
                actor=staff,
                now=now,
                code=batch.code,
                title=batch.title,
                opens_on=batch.opens_on,
                deadline_on=batch.deadline_on,
            )
            report.batches_created += 1


def final_statuses(session: Session) -> dict[str, str]:
    """Resource code -> status of its latest application (for reports and tests)."""
    rows = session.execute(
        select(Resource.code, Application.status)
        .join(Application, Application.resource_id == Resource.id)
        .order_by(Application.id)
    )
    return {code: status.value for code, status in rows}
