"""Who may call which route: ONE declarative table, route name → access, checked for every
request by `api.deps.guard`. A route missing from the table is refused (and `create_app`
refuses to start), so a new route cannot be forgotten.

The table decides by role only. The finer scopes (own organisation, own city, assigned
expert) are checked by the registry services, which raise `PermissionDenied` (403).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from api.auth import Principal
from api.errors import ServiceError
from registry.enums import Role


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call a route: anonymous visitors and/or the listed roles."""

    roles: frozenset[Role]
    anonymous: bool = False
    csrf: bool = True  # False only where no browser credential is used (the token endpoint)

    def allows(self, principal: Principal | None) -> bool:
        """True when this caller passes the role gate."""
        if principal is None:
            return self.anonymous
        return principal.actor.role in self.roles


ALL_ROLES = frozenset(Role)
PUBLIC = Access(roles=ALL_ROLES, anonymous=True)
SIGNED_IN = Access(roles=ALL_ROLES)


def only(*roles: Role, anonymous: bool = False) -> Access:
    """Access for the listed roles (and anonymous visitors when asked)."""
    return Access(roles=frozenset(roles), anonymous=anonymous)


PROVIDER = only(Role.PROVIDER)
CITY = only(Role.MUNICIPAL_REVIEWER)
EXPERT = only(Role.EXPERT)
PROVINCE = only(Role.PROVINCIAL_STAFF)
ORGANISERS = only(Role.ORGANISER, Role.PROVINCIAL_STAFF)
RELEVANCE = only(Role.RELEVANCE_STAFF, Role.ADMIN)

PERMISSIONS: Mapping[str, Access] = {
    # infrastructure and the public library
    "health": PUBLIC,
    "ready": PUBLIC,
    "library.list": PUBLIC,
    "library.detail": PUBLIC,
    "match": PUBLIC,
    "batches.list": PUBLIC,
    "publicity.list": PUBLIC,
    # authentication
    "auth.token": Access(roles=ALL_ROLES, anonymous=True, csrf=False),
    "auth.me": SIGNED_IN,
    "auth.csrf": PUBLIC,
    "session.login": PUBLIC,
    "session.logout": PUBLIC,
    # providers (an applicant without an account registers; staff may register for it)
    "provider.register": only(Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.ADMIN, anonymous=True),
    "provider.organisation": PROVIDER,
    "provider.resources.list": PROVIDER,
    "provider.resources.create": PROVIDER,
    "provider.resources.get": PROVIDER,
    "provider.resources.update": PROVIDER,
    "provider.cases.create": PROVIDER,
    "provider.evidence.list": PROVIDER,
    "provider.evidence.upload": PROVIDER,
    "provider.applications.list": PROVIDER,
    "provider.applications.start": PROVIDER,
    "provider.applications.get": PROVIDER,
    "provider.applications.submit": PROVIDER,
    "provider.applications.resubmit": PROVIDER,
    "provider.notifications": PROVIDER,
    # municipal reviewers (their own city: checked by the registry)
    "city.queue": CITY,
    "city.applications.list": CITY,
    "city.applications.get": CITY,
    "city.decide": CITY,
    "city.evidence": CITY,
    "city.overdue": CITY,
    # experts (assigned applications only: checked by the registry)
    "expert.applications.list": EXPERT,
    "expert.applications.get": EXPERT,
    "expert.score": EXPERT,
    "expert.evidence": EXPERT,
    "expert.conflicts.declare": EXPERT,
    # provincial staff
    "province.batches.create": PROVINCE,
    "province.applications.list": PROVINCE,
    "province.applications.get": PROVINCE,
    "province.evidence": PROVINCE,
    "province.waiver": PROVINCE,
    "province.experts.list": PROVINCE,
    "province.panel.assign": PROVINCE,
    "province.panel.report": PROVINCE,
    "province.publicity.start": PROVINCE,
    "province.objections.list": PROVINCE,
    "province.objections.raise": PROVINCE,
    "province.objections.decide": PROVINCE,
    "province.certify": PROVINCE,
    "province.direct_entry.verify": PROVINCE,
    "province.reject": PROVINCE,
    "province.void": PROVINCE,
    "province.organisations.get": PROVINCE,
    "province.bans.create": PROVINCE,
    "province.accidents.create": PROVINCE,
    "province.violations.create": PROVINCE,
    "province.priority": PROVINCE,
    "province.overdue": PROVINCE,
    "province.audit": only(Role.PROVINCIAL_STAFF, Role.ADMIN),
    # after certification (Art.18, 19, 21): providers, their city, the province
    "provider.library.list": PROVIDER,
    "provider.annual_reports.list": PROVIDER,
    "provider.annual_reports.file": PROVIDER,
    "provider.warnings.list": PROVIDER,
    "provider.warnings.get": PROVIDER,
    "provider.warnings.rectify": PROVIDER,
    "provider.withdrawals.list": PROVIDER,
    "provider.withdrawals.request": PROVIDER,
    "provider.withdrawals.get": PROVIDER,
    "provider.withdrawals.cancel": PROVIDER,
    "city.withdrawals.list": CITY,
    "city.withdrawals.get": CITY,
    "city.withdrawals.forward": CITY,
    "province.library.list": PROVINCE,
    "province.warnings.create": PROVINCE,
    "province.warnings.list": PROVINCE,
    "province.warnings.get": PROVINCE,
    "province.warnings.close": PROVINCE,
    "province.warnings.remove": PROVINCE,
    "province.withdrawals.list": PROVINCE,
    "province.withdrawals.get": PROVINCE,
    "province.withdrawals.approve": PROVINCE,
    "province.withdrawals.refuse": PROVINCE,
    "province.removals.preview": PROVINCE,
    "province.removals.create": PROVINCE,
    "province.referrals.list": PROVINCE,
    "province.referrals.sent": PROVINCE,
    "province.annual_reports.list": PROVINCE,
    "province.flags.list": PROVINCE,
    # entry change requests (资源信息变更申请): the provider proposes, the province decides
    "provider.entry_changes.create": PROVIDER,
    "provider.entry_changes.list": PROVIDER,
    "provider.entry_changes.get": PROVIDER,
    "provider.entry_changes.withdraw": PROVIDER,
    "province.entry_changes.list": PROVINCE,
    "province.entry_changes.get": PROVINCE,
    "province.entry_changes.approve": PROVINCE,
    "province.entry_changes.reject": PROVINCE,
    # complaints and reports (Art.23), objections during publicity (Art.15): the public files
    # and follows them with a token; the province assigns; the assignee investigates and closes
    "complaints.file": PUBLIC,
    "complaints.follow_up": PUBLIC,
    "publicity.objections.raise": PUBLIC,
    "objections.follow_up": PUBLIC,
    "complaints.list": only(Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER),
    "complaints.get": only(Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER),
    "complaints.assignees": PROVINCE,
    "complaints.assign": PROVINCE,
    "complaints.notes.add": only(Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER),
    "complaints.close": only(Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER),
    # matchmaking events (Art.20(2)): organisers, their own events only (checked by the
    # registry); provincial staff see all
    "events.list": ORGANISERS,
    "events.create": ORGANISERS,
    "events.get": ORGANISERS,
    "events.needs.add": ORGANISERS,
    "events.needs.remove": ORGANISERS,
    "events.shortlist.compute": ORGANISERS,
    "events.shortlist": ORGANISERS,
    "events.items.add": ORGANISERS,
    "events.items.reorder": ORGANISERS,
    "events.items.annotate": ORGANISERS,
    "events.items.remove": ORGANISERS,
    "events.export": ORGANISERS,
    # the annual catalog (Art.20(1)), public
    "catalog.list": PUBLIC,
    "catalog.xlsx": PUBLIC,
    # the relevance dashboard: relevance staff (and administrators) judge and read reports
    "relevance.needs": RELEVANCE,
    "relevance.results": RELEVANCE,
    "relevance.judgments.record": RELEVANCE,
    "relevance.judgments.list": RELEVANCE,
    "relevance.judgments.remove": RELEVANCE,
    "relevance.qrels": RELEVANCE,
    "relevance.report": RELEVANCE,
    "relevance.report.file": RELEVANCE,
    # administrators: accounts
    "admin.users.list": only(Role.ADMIN),
    "admin.users.create": only(Role.ADMIN),
}


def check_access(access: Access, principal: Principal | None) -> None:
    """401 for an anonymous caller the route needs signed in; 403 for a role it does not admit."""
    if access.allows(principal):
        return
    if principal is None:
        raise ServiceError(401, "not_authenticated", "请先登录")
    raise ServiceError(
        403,
        "role_not_allowed",
        f"当前角色“{principal.actor.role.value}”无权访问此功能",
        role=principal.actor.role.value,
    )


def missing_entries(route_names: Iterable[str], table: Mapping[str, Access]) -> list[str]:
    """Route names that have no access entry (each one would be refused)."""
    return sorted(name for name in route_names if name not in table)
