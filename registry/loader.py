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
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry import seed_schema as seed
from registry.errors import InvalidInput, RegistryError
from registry.loader_inputs import (
    case_input,
    direct_entry_input,
    evidence_input,
    placeholder,
    resource_input,
)
from registry.loader_setup import (
    LoadContext,
    LoadReport,
    at,
    cast_of,
    ensure_batches,
    ensure_organisation,
    ensure_users,
    provider_of,
)
from registry.loader_timeline import Run
from registry.models.applications import Application
from registry.models.resources import Resource
from registry.seed_schema import Application as SeedApplication
from registry.seed_schema import ApplicationOutcome as O
from registry.seed_schema import Route
from registry.services import accounts, resources, submissions
from registry.services.evidence import add_evidence
from registry.storage import FileStore

__all__ = ["LoadReport", "Progress", "SeedFiles", "final_statuses", "load", "read_files"]


@dataclass(frozen=True, slots=True)
class Progress:
    """One resource done: `result` is its final status, "unchanged" or "refused"."""

    index: int
    total: int
    code: str
    result: str
    error: RegistryError | None = None


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


MUNICIPAL_OUTCOMES = frozenset(
    {O.MUNICIPAL_REVIEW, O.RETURNED, O.RESUBMITTED_CERTIFIED, O.REJECTED_MUNICIPAL}
)
OBJECTION_OUTCOMES = frozenset({O.OBJECTION_PENDING, O.OBJECTION_UPHELD, O.OBJECTION_DISMISSED})


def problems(spec: SeedApplication) -> list[str]:
    """Why an application spec cannot be driven as written (empty when it can)."""
    found = []
    if spec.route is Route.DIRECT_ENTRY and spec.outcome not in (O.DRAFT, O.CERTIFIED):
        found.append(f"直接入库（第十七条）只能是 draft 或 certified，而不是 {spec.outcome.value}")
    if spec.route is Route.PROVINCIAL_DIRECT and spec.outcome in MUNICIPAL_OUTCOMES:
        found.append(f"省级直报（第十六条）不经地市初审，outcome 不能是 {spec.outcome.value}")
    expected = {O.OBJECTION_PENDING: None, O.OBJECTION_UPHELD: True, O.OBJECTION_DISMISSED: False}
    if spec.outcome in OBJECTION_OUTCOMES:
        if spec.objection is None:
            found.append(f"outcome {spec.outcome.value} 需要给出 objection")
        elif spec.objection.upheld is not expected[spec.outcome]:
            found.append(f"objection.upheld 与 outcome {spec.outcome.value} 不一致")
    elif spec.objection is not None:
        found.append(f"outcome {spec.outcome.value} 不应给出 objection")
    if spec.priority and spec.outcome not in (
        O.CERTIFIED,
        O.RESUBMITTED_CERTIFIED,
        O.OBJECTION_DISMISSED,
    ):
        found.append("priority 只适用于最终认定入库的资源")
    return found


def load(
    *,
    sessions: sessionmaker[Session],
    store: FileStore,
    files: SeedFiles,
    keep_going: bool = False,
    progress: Callable[[Progress], None] | None = None,
    hasher: PasswordHasher | None = None,
) -> LoadReport:
    """Load everything in `files`; refused resources are reported, never half-loaded."""
    hasher = hasher or accounts.DEFAULT_HASHER
    report = LoadReport()
    setup_at = at(min(b.opens_on for b in files.batches.batches) - timedelta(days=14), 9)
    with sessions() as session:
        report.users_created = ensure_users(session, files.users, setup_at, hasher)
        cast = cast_of(session)
        report.batches_created = ensure_batches(session, files.batches, cast.staff, setup_at)
        session.commit()
    ctx = LoadContext(
        store=store,
        organisations={o.key: o for f in files.library for o in f.organisations},
        password=files.users.password,
        hasher=hasher,
        cast=cast,
        report=report,
    )
    todo = sorted(
        (r for f in files.library for r in f.resources),
        key=lambda r: (r.application.submitted_on, r.code),
    )
    for index, spec in enumerate(todo, start=1):
        result, error = _one(sessions, ctx, spec)
        if progress is not None:
            progress(Progress(index, len(todo), spec.code, result, error))
        if error is not None and not keep_going:
            report.stopped = True
            break
    return report


def _one(
    sessions: sessionmaker[Session], ctx: LoadContext, spec: seed.Resource
) -> tuple[str, RegistryError | None]:
    """Load one resource in its own transaction: all of it, or nothing."""
    report = ctx.report
    with sessions() as session:
        if session.scalar(select(Resource.id).where(Resource.code == spec.code)) is not None:
            report.unchanged.append(spec.code)
            return "unchanged", None
        created_orgs = report.organisations_created
        try:
            application = _materials(session, ctx, spec)
            provider = provider_of(session, application.resource.organisation_id)
            Run(session, application, spec.application, ctx.cast, provider).drive()
            session.flush()
            status = application.status.value
            session.commit()
        except RegistryError as exc:
            session.rollback()
            report.organisations_created = created_orgs
            report.refused[spec.code] = exc
            return "refused", exc
    report.loaded[spec.code] = status
    return status, None


def _materials(session: Session, ctx: LoadContext, spec: seed.Resource) -> Application:
    """Organisations, the resource with its cases and evidence, and a draft application."""
    submitted_on = spec.application.submitted_on
    owner, provider = ensure_organisation(session, ctx, spec.org, submitted_on)
    members = [ensure_organisation(session, ctx, k, submitted_on)[0] for k in spec.consortium]
    prepared = at(submitted_on - timedelta(days=7), 14)
    resource = resources.create_resource(
        session=session, actor=provider, now=prepared, organisation_id=owner.id,
        data=resource_input(spec, tuple(m.uscc for m in members)),
    )  # fmt: skip
    for case in spec.cases:
        resources.add_case(
            session=session, actor=provider, now=prepared, resource_id=resource.id,
            data=case_input(case),
        )  # fmt: skip
    for doc in spec.evidence:
        add_evidence(
            session=session, actor=provider, now=prepared, store=ctx.store,
            organisation_id=owner.id, resource_id=resource.id, data=evidence_input(doc),
            upload=placeholder(doc.kind.value, doc.title, owner.name, doc.number),
        )  # fmt: skip
    return submissions.start_application(
        session=session, actor=provider, now=prepared, resource_id=resource.id,
        batch_code=spec.application.batch, route=spec.application.route,
        direct_entry=direct_entry_input(spec.application.direct_entry),
    )  # fmt: skip


def final_statuses(session: Session) -> dict[str, str]:
    """Resource code -> status of its latest application (for reports and tests)."""
    rows = session.execute(
        select(Resource.code, Application.status)
        .join(Application, Application.resource_id == Resource.id)
        .order_by(Application.id)
    )
    return {code: status.value for code, status in rows}
