"""Art.19(3) voluntary withdrawal: the provider applies to the industry and IT department of its
city, which forwards the request with its opinion; the province approves (the entry is
withdrawn and leaves search) or refuses. A provider registered outside Guangdong has no city
department in the province, so its request goes to the province directly (as Art.16 does for
applications)."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role, signed_in
from registry.audit import record
from registry.enums import Role
from registry.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from registry.models.monitoring import WarningStatus, WithdrawalRequest, WithdrawalStatus
from registry.reference import is_guangdong_city
from registry.services.library_admin import (
    change_entry_status,
    close_open_items,
    entry_by_code,
    move_status,
    notify_entry,
)
from registry.workflow import EntryEvent

ARTICLE = "Art.19(3)"
W = WithdrawalStatus
PENDING = (W.REQUESTED, W.FORWARDED)
LABELS = MappingProxyType(
    {
        W.REQUESTED: "待地市转报",
        W.FORWARDED: "待省厅审核",
        W.APPROVED: "已同意退出",
        W.REFUSED: "未同意退出",
        W.CANCELLED: "已撤回申请",
        W.SUPERSEDED: "资源已移出，申请终止",
    }
)


def request_withdrawal(
    *, session: Session, actor: Actor, now: datetime, resource_code: str, reason: str
) -> WithdrawalRequest:
    """The provider asks to take one of its entries out of the library."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    entry = entry_by_code(session=session, resource_code=resource_code)
    org = entry.resource.organisation
    require_organisation(actor, org.id)
    _required(reason, "reason")
    pending = session.scalar(
        select(WithdrawalRequest.id).where(
            WithdrawalRequest.library_entry_id == entry.id, WithdrawalRequest.status.in_(PENDING)
        )
    )
    if pending is not None:
        raise Conflict("该资源已有在办的退出申请", code="withdrawal_pending", article=ARTICLE,
                       loc=("resource_code",))  # fmt: skip
    direct = not is_guangdong_city(org.city)
    request = WithdrawalRequest(
        library_entry_id=entry.id, organisation_id=org.id, city=org.city,
        status=W.FORWARDED if direct else W.REQUESTED, reason=reason.strip(), requested_at=now,
        requested_by_user_id=signed_in(actor),
        forwarded_at=now if direct else None,
        city_opinion="省外单位，直接报省工业和信息化厅审核" if direct else None,
    )  # fmt: skip
    session.add(request)
    session.flush()
    _audit(session, actor, now, request, "request")
    return request


def forward_withdrawal(
    *, session: Session, actor: Actor, now: datetime, request_id: int, opinion: str
) -> WithdrawalRequest:
    """The provider's city forwards the request to the province with its opinion."""
    require_role(actor, Role.MUNICIPAL_REVIEWER, article=ARTICLE)
    request = get_withdrawal(session=session, actor=actor, request_id=request_id)
    _required(opinion, "opinion")
    move_status(session, request, W.FORWARDED, allowed=(W.REQUESTED,), labels=LABELS,
                article=ARTICLE, forwarded_at=now, forwarded_by_user_id=signed_in(actor),
                city_opinion=opinion.strip())  # fmt: skip
    _audit(session, actor, now, request, "forward")
    return request


def approve_withdrawal(
    *, session: Session, actor: Actor, now: datetime, request_id: int, note: str
) -> WithdrawalRequest:
    """The province approves: the entry is withdrawn (gone from search), open warnings end."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    request = get_withdrawal(session=session, actor=actor, request_id=request_id)
    _required(note, "note")
    move_status(session, request, W.APPROVED, allowed=(W.FORWARDED,), labels=LABELS,
                article=ARTICLE, decided_at=now, decided_by_user_id=signed_in(actor),
                decision_note=note.strip())  # fmt: skip
    change_entry_status(session=session, actor=actor, now=now, entry=request.entry,
                        event=EntryEvent.WITHDRAW, note=f"申请退出资源库：{request.reason}",
                        article=ARTICLE)  # fmt: skip
    close_open_items(session=session, actor=actor, entry=request.entry, now=now,
                     warnings_to=WarningStatus.WITHDRAWN, note="资源已申请退出资源库")  # fmt: skip
    _audit(session, actor, now, request, "approve")
    return request


def refuse_withdrawal(
    *, session: Session, actor: Actor, now: datetime, request_id: int, note: str
) -> WithdrawalRequest:
    """The province refuses the request (e.g. the entry is under evaluation); it stays listed."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    request = get_withdrawal(session=session, actor=actor, request_id=request_id)
    _required(note, "note")
    move_status(session, request, W.REFUSED, allowed=(W.FORWARDED,), labels=LABELS,
                article=ARTICLE, decided_at=now, decided_by_user_id=signed_in(actor),
                decision_note=note.strip())  # fmt: skip
    notify_entry(session=session, entry=request.entry, now=now,
                 text=f"的退出资源库申请未获同意。说明：{note.strip()}")  # fmt: skip
    _audit(session, actor, now, request, "refuse")
    return request


def cancel_withdrawal(
    *, session: Session, actor: Actor, now: datetime, request_id: int
) -> WithdrawalRequest:
    """The provider takes its request back before the province decides."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    request = get_withdrawal(session=session, actor=actor, request_id=request_id)
    move_status(session, request, W.CANCELLED, allowed=PENDING, labels=LABELS, article=ARTICLE,
                decided_at=now, decision_note="申报单位撤回申请")  # fmt: skip
    _audit(session, actor, now, request, "cancel")
    return request


def get_withdrawal(*, session: Session, actor: Actor, request_id: int) -> WithdrawalRequest:
    """A request the actor may see: providers their own, cities their city's, the province all."""
    require_role(actor, Role.PROVIDER, Role.MUNICIPAL_REVIEWER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    request = session.get(WithdrawalRequest, request_id)
    if request is None:
        raise NotFound(f"退出申请不存在：{request_id}", code="withdrawal_not_found",
                       loc=("withdrawal", request_id))  # fmt: skip
    if actor.role is Role.PROVIDER:
        require_organisation(actor, request.organisation_id)
    elif actor.role is Role.MUNICIPAL_REVIEWER and actor.city != request.city:
        raise PermissionDenied(
            f"地市只能办理本地市单位的退出申请：本人所属 {actor.city}，申报单位所在 {request.city}",
            code="wrong_city", article=ARTICLE,
        )  # fmt: skip
    return request


def withdrawal_requests(
    *, session: Session, actor: Actor, status: WithdrawalStatus | None = None
) -> list[WithdrawalRequest]:
    """Requests the actor may see, newest first, optionally in one status."""
    require_role(actor, Role.PROVIDER, Role.MUNICIPAL_REVIEWER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    query: Select[tuple[WithdrawalRequest]] = select(WithdrawalRequest)
    if actor.role is Role.PROVIDER:
        query = query.where(WithdrawalRequest.organisation_id == actor.organisation_id)
    elif actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(WithdrawalRequest.city == actor.city)
    if status is not None:
        query = query.where(WithdrawalRequest.status == status)
    return list(session.scalars(query.order_by(WithdrawalRequest.id.desc())))


def _required(text: str, field: str) -> None:
    if not text.strip():
        raise InvalidInput("须填写说明", code="reasons_required", article=ARTICLE, loc=(field,))


def _audit(
    session: Session, actor: Actor, now: datetime, request: WithdrawalRequest, action: str
) -> None:
    record(session, actor=actor, now=now, action=f"withdrawal.{action}",
           object_type="withdrawal_request", object_id=request.id,
           after={"status": request.status.value, "resource_code": request.entry.resource.code,
                  "city": request.city})  # fmt: skip
