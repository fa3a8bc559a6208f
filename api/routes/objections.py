"""Objections from the public during publicity (异议, Art.15): anyone may object to an
application on the publicity list (`publicity.list`) while its five working days run, with a
name, a contact and the content, and follows the province's decision with the token it gets.
The province decides them with `province.objections.decide`, as any recorded objection."""

from __future__ import annotations

from api.deps import NowDep, SessionDep
from api.routes import api_router
from api.schemas.complaints import (
    ObjectionFiledRead,
    ObjectionFollowUpRead,
    PublicObjectionCreate,
    TokenBody,
)
from registry.models.applications import Application
from registry.services import publicity

router = api_router("", "公开：公示与异议", secured=False)


@router.post(
    "/publicity/{application_id}/objections",
    name="publicity.objections.raise",
    summary="对公示中的资源提出异议（第十五条），返回受理编号和查询码",
    status_code=201,
)
def raise_objection(
    application_id: int, body: PublicObjectionCreate, session: SessionDep, now: NowDep
) -> ObjectionFiledRead:
    """Record an objection to an application in publicity; the token is shown only now."""
    objection, token = publicity.raise_public_objection(
        session=session,
        now=now,
        application_id=application_id,
        name=body.name,
        contact=body.contact,
        content=body.content,
    )
    application = session.get(Application, application_id)
    assert application is not None  # the registry has just recorded an objection to it
    result = ObjectionFiledRead(
        reference=publicity.objection_reference(objection),
        token=token,
        resource_code=application.resource.code,
        title=application.resource.title,
        raised_at=objection.raised_at,
    )
    session.commit()
    return result


@router.post(
    "/objections/follow-up", name="objections.follow_up", summary="凭查询码查询异议处理结果"
)
def follow_up(body: TokenBody, session: SessionDep) -> ObjectionFollowUpRead:
    """The province's decision on the objection the token belongs to, once taken."""
    seen = publicity.objection_follow_up(session=session, token=body.token)
    return ObjectionFollowUpRead.of(seen)
