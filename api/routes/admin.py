"""Administrators: accounts. A provider account is issued for a registered organisation;
reviewers get their city, experts their category and affiliation."""

from __future__ import annotations

from api.deps import ActorDep, HasherDep, NowDep, SessionDep
from api.queries import users
from api.routes import api_router
from api.schemas.staff import UserCreate, UserRead
from registry.services import accounts

router = api_router("/admin", "系统管理")


@router.get("/users", name="admin.users.list", summary="账号列表")
def list_users(actor: ActorDep, session: SessionDep) -> list[UserRead]:
    """Every account, by username (never a password hash)."""
    return [UserRead.model_validate(u) for u in users(session)]


@router.post("/users", name="admin.users.create", summary="新建账号", status_code=201)
def create_user(
    body: UserCreate, actor: ActorDep, session: SessionDep, hasher: HasherDep, now: NowDep
) -> UserRead:
    """Create an account with the scope its role needs."""
    user = accounts.create_user(
        session=session,
        actor=actor,
        now=now,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        city=body.city,
        organisation_id=body.organisation_id,
        expert=(
            accounts.ExpertProfile(
                category=body.expert.category, affiliation=body.expert.affiliation
            )
            if body.expert
            else None
        ),
        hasher=hasher,
    )
    result = UserRead.model_validate(user)
    session.commit()
    return result
