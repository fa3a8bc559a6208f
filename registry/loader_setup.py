"""What the loader sets up before and around each resource: accounts, batches, who acts, and
organisations registered once with their provider account and financial documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import seed_schema as seed
from registry.actor import Actor
from registry.enums import Role
from registry.errors import InvalidInput, RegistryError
from registry.loader_inputs import evidence_input, organisation_input, placeholder
from registry.loader_timeline import Cast
from registry.models.accounts import User
from registry.models.organisations import Organisation
from registry.services import accounts, batches, organisations
from registry.services.evidence import add_evidence
from registry.storage import FileStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor(user_id=None, role=Role.ADMIN)  # the operator running the load
APPLICANT = Actor(user_id=None, role=Role.PROVIDER)  # an organisation registering itself


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """A moment of `day` in Asia/Shanghai (the loader's clock)."""
    return datetime.combine(day, time(hh, mm), SHANGHAI)


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


@dataclass
class LoadContext:
    """Everything a resource's load needs besides its own spec."""

    store: FileStore
    organisations: dict[str, seed.Organisation]  # by key
    password: str
    hasher: PasswordHasher
    cast: Cast
    report: LoadReport


def ensure_users(
    session: Session, spec: seed.UsersFile, now: datetime, hasher: PasswordHasher
) -> int:
    """Create the accounts of `users.yaml` that do not exist yet; returns how many."""
    created = 0
    for user in spec.users:
        if accounts.find_user(session=session, username=user.username) is not None:
            continue
        profile = None
        if user.category is not None and user.affiliation is not None:
            profile = accounts.ExpertProfile(category=user.category, affiliation=user.affiliation)
        accounts.create_user(
            session=session, actor=SYSTEM, now=now, username=user.username,
            password=spec.password, role=user.role, display_name=user.display_name,
            city=user.city, expert=profile, hasher=hasher,
        )  # fmt: skip
        created += 1
    return created


def cast_of(session: Session) -> Cast:
    """The first active provincial staff member, and the first reviewer of each city."""
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


def ensure_batches(session: Session, spec: seed.BatchesFile, staff: Actor, now: datetime) -> int:
    """Open the batches that do not exist yet; returns how many."""
    created = 0
    for batch in spec.batches:
        if batches.find_batch(session=session, code=batch.code) is None:
            batches.create_batch(
                session=session, actor=staff, now=now, code=batch.code, title=batch.title,
                opens_on=batch.opens_on, deadline_on=batch.deadline_on,
            )  # fmt: skip
            created += 1
    return created


def ensure_organisation(
    session: Session, ctx: LoadContext, key: str, first_needed: date
) -> tuple[Organisation, Actor]:
    """The registered organisation and its provider, registering both on first use."""
    org = ctx.organisations[key]
    found = organisations.find_by_uscc(session=session, uscc=org.uscc)
    if found is None:
        found = _register(session, ctx, org, at(first_needed - timedelta(days=14), 10))
    return found, provider_of(session, found.id)


def _register(
    session: Session, ctx: LoadContext, org: seed.Organisation, now: datetime
) -> Organisation:
    registered = organisations.register_organisation(
        session=session, actor=APPLICANT, now=now, data=organisation_input(org), store=ctx.store,
        licence=placeholder("营业执照", org.name, org.name, org.uscc),
    )  # fmt: skip
    accounts.create_user(
        session=session, actor=SYSTEM, now=now, username=org.key, password=ctx.password,
        role=Role.PROVIDER, display_name=f"{org.name}（{org.contact.name}）"[:100],
        organisation_id=registered.id, hasher=ctx.hasher,
    )  # fmt: skip
    ctx.report.organisations_created += 1
    provider = provider_of(session, registered.id)
    for doc in org.financial_documents:
        add_evidence(
            session=session, actor=provider, now=now, store=ctx.store,
            organisation_id=registered.id, resource_id=None, data=evidence_input(doc),
            upload=placeholder(doc.kind.value, doc.title, org.name, doc.number),
        )  # fmt: skip
    return registered


def provider_of(session: Session, organisation_id: int) -> Actor:
    """The (first) provider account of an organisation."""
    user = session.scalar(
        select(User)
        .where(User.organisation_id == organisation_id, User.role == Role.PROVIDER)
        .order_by(User.id)
    )
    if user is None:
        raise InvalidInput(f"申报单位 {organisation_id} 没有申报账号", code="loader_no_provider")
    return Actor.of(user)
