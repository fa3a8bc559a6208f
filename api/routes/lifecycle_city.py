"""Municipal reviewers, after certification: the withdrawal requests of their own city's
providers, forwarded to the province with the city's opinion (Art.19(3)). The city scope is
the registry's (another city's request is refused with `wrong_city`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.deps import ActorDep, NowDep, SessionDep
from api.routes import api_router
from api.schemas.lifecycle import OpinionCreate, WithdrawalRead
from registry.models.monitoring import WithdrawalStatus
from registry.services import withdrawals

router = api_router("/city", "地市初审：入库后管理")


@router.get("/withdrawals", name="city.withdrawals.list", summary="本地市单位的退出资源库申请")
def list_withdrawals(
    actor: ActorDep,
    session: SessionDep,
    status: Annotated[WithdrawalStatus | None, Query(description="requested 为待转报")] = None,
) -> list[WithdrawalRead]:
    """Requests of the reviewer's city, newest first (those to forward: `status=requested`)."""
    found = withdrawals.withdrawal_requests(session=session, actor=actor, status=status)
    return [WithdrawalRead.of(r) for r in found]


@router.get("/withdrawals/{request_id}", name="city.withdrawals.get", summary="退出申请详情")
def get_withdrawal(request_id: int, actor: ActorDep, session: SessionDep) -> WithdrawalRead:
    """A request of the reviewer's city."""
    return WithdrawalRead.of(
        withdrawals.get_withdrawal(session=session, actor=actor, request_id=request_id)
    )


@router.post(
    "/withdrawals/{request_id}/forward",
    name="city.withdrawals.forward",
    summary="签署意见并转报省工业和信息化厅（第十九条第（三）项）",
)
def forward(
    request_id: int, body: OpinionCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WithdrawalRead:
    """Forward the request to the province with the city's opinion."""
    request = withdrawals.forward_withdrawal(
        session=session, actor=actor, now=now, request_id=request_id, opinion=body.opinion
    )
    result = WithdrawalRead.of(request)
    session.commit()
    return result
