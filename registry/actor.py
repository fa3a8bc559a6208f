"""Who is acting: passed into every service, checked there (roles and scopes)."""

from __future__ import annotations

from dataclasses import dataclass

from registry.enums import Role
from registry.errors import PermissionDenied
from registry.models.accounts import User


@dataclass(frozen=True, slots=True)
class Actor:
    """The user behind a request or job, with the scope of their role."""

    user_id: int | None
    role: Role
    city: str | None = None  # municipal reviewers
    organisation_id: int | None = None  # providers
    expert_id: int | None = None  # experts

    @classmethod
    def of(cls, user: User) -> Actor:
        """The actor for a signed-in user."""
        return cls(
            user_id=user.id,
            role=user.role,
            city=user.city,
            organisation_id=user.organisation_id,
            expert_id=user.expert.id if user.expert is not None else None,
        )


def require_role(actor: Actor, *roles: Role, article: str | None = None) -> None:
    """PermissionDenied(role_not_allowed) unless the actor has one of `roles`."""
    if actor.role not in roles:
        allowed = "、".join(role.value for role in roles)
        raise PermissionDenied(
            f"当前角色“{actor.role.value}”无权执行此操作（需要：{allowed}）",
            code="role_not_allowed",
            article=article,
        )


def require_city(actor: Actor, city: str) -> None:
    """Municipal reviewers act only on their own city's applications (Art.3, Art.13)."""
    if actor.city != city:
        raise PermissionDenied(
            f"地市审核人员只能审核本地市的申报：本人所属 {actor.city}，申报单位所在 {city}",
            code="wrong_city",
            article="Art.13",
        )


def require_organisation(actor: Actor, organisation_id: int) -> None:
    """Providers act only on their own organisation's data."""
    if actor.organisation_id != organisation_id:
        raise PermissionDenied("申报单位只能操作本单位的资源和申报", code="not_own_organisation")


def signed_in(actor: Actor) -> int:
    """The actor's user id; decisions are always taken by a signed-in person."""
    if actor.user_id is None:
        raise PermissionDenied("此操作需要登录的用户执行", code="sign_in_required")
    return actor.user_id
