"""Users and their roles; passwords stored as argon2id hashes (argon2-cffi)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.audit import record, snapshot
from registry.enums import ExpertCategory, Role
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models.accounts import Expert, User
from registry.models.organisations import Organisation
from registry.reference import is_guangdong_city

DEFAULT_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpertProfile:
    """What an expert user needs besides the account: category and affiliation (Art.14, 22)."""

    category: ExpertCategory
    affiliation: str


def create_user(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    city: str | None = None,
    organisation_id: int | None = None,
    expert: ExpertProfile | None = None,
    hasher: PasswordHasher | None = None,
) -> User:
    """Create a user; the scope its role needs (city, organisation, expert profile) is required."""
    require_role(actor, Role.ADMIN)
    _check_scope(session, role, city, organisation_id, expert)
    _check_credentials(session, username, password)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=(hasher or DEFAULT_HASHER).hash(password),
        city=city,
        organisation_id=organisation_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    if expert is not None:
        _add_expert(session, user, expert)
    record(
        session,
        actor=actor,
        now=now,
        action="user.create",
        object_type="user",
        object_id=user.id,
        after=snapshot(user, ("username", "role", "city", "organisation_id")),
    )
    return user


def _check_credentials(session: Session, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位", code="password_too_short", loc=("password",)
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名已存在：{username}", code="username_taken", loc=("username",))


def _add_expert(session: Session, user: User, expert: ExpertProfile) -> None:
    # Resolved by name now; Art.22 conflicts also compare the name, for later registrations.
    affiliated = session.scalar(
        select(Organisation.id).where(Organisation.name == expert.affiliation)
    )
    session.add(
        Expert(
            user_id=user.id,
            name=user.display_name,
            category=expert.category,
            affiliation=expert.affiliation,
            affiliation_organisation_id=affiliated,
        )
    )
    session.flush()


def _check_scope(
    session: Session,
    role: Role,
    city: str | None,
    organisation_id: int | None,
    expert: ExpertProfile | None,
) -> None:
    if role is Role.MUNICIPAL_REVIEWER and (city is None or not is_guangdong_city(city)):
        raise InvalidInput(
            f"地市审核人员须属于广东省 21 个地级以上市之一：{city}",
            code="art8.city_unknown",
            loc=("city",),
        )
    if role is not Role.MUNICIPAL_REVIEWER and city is not None:
        raise InvalidInput("只有地市审核人员有所属城市", code="city_not_applicable", loc=("city",))
    if (role is Role.PROVIDER) != (organisation_id is not None):
        raise InvalidInput(
            "申报单位用户必须且只能关联一个申报单位",
            code="organisation_required",
            loc=("organisation_id",),
        )
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", loc=("organisation_id",))
    if (role is Role.EXPERT) != (expert is not None):
        raise InvalidInput(
            "专家用户必须且只能有专家档案（类别、所在单位）",
            code="expert_profile_required",
            loc=("expert",),
        )


def authenticate(
    *, session: Session, username: str, password: str, hasher: PasswordHasher | None = None
) -> User | None:
    """The active user with these credentials, or None; upgrades outdated hashes."""
    hasher = hasher or DEFAULT_HASHER
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        hasher.hash(password)  # spend the same time as a real check: no username probing
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def find_user(*, session: Session, username: str) -> User | None:
    """The user called `username`, if any."""
    return session.scalar(select(User).where(User.username == username))
