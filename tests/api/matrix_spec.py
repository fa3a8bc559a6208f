"""The authorisation matrix's table (see `test_matrix.py`): the callers, and who is expected
to get through each route, role gate AND the registry's scope checks. Derived from what each
route should allow (DESIGN.md "Who uses it", the Measures), not from what the code does.

The requests live in `matrix_requests.py`, the world they run in in `matrix_world.py`.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

# Who calls, by the account each one signs in as (`tests/api/world.py`): provider A (广州) owns
# the objects the requests point at, provider B (深圳) does not; reviewer X is 广州's, Y
# 深圳's; the assigned expert sits on A's panel, the unassigned one on none.
CALLERS = {
    "anonymous": None,
    "provider_a": "provider-1",
    "provider_b": "provider-2",
    "reviewer_x": "gz-reviewer",
    "reviewer_y": "sz-reviewer",
    "expert_assigned": "expert-technical",
    "expert_unassigned": "expert-free",
    "staff": "staff",
    "organiser": "organiser",
    "admin": "admin",
    "relevance_staff": "relevance",
}
EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
PROVIDERS = frozenset({"provider_a", "provider_b"})
REVIEWERS = frozenset({"reviewer_x", "reviewer_y"})
EXPERTS = frozenset({"expert_assigned", "expert_unassigned"})
# An applicant without an account registers its organisation (Art.8); staff may do it for it.
REGISTRANTS = frozenset({"anonymous", "staff", "admin"}) | PROVIDERS

# Who gets through, route by route (role gate of the table AND the registry's scope checks).
EXPECTED: dict[str, AbstractSet[str]] = {
    "health": EVERYONE,
    "ready": EVERYONE,
    "library.list": EVERYONE,
    "library.detail": EVERYONE,
    "match": EVERYONE,
    "batches.list": EVERYONE,
    "publicity.list": EVERYONE,
    "auth.token": EVERYONE,
    "auth.csrf": EVERYONE,
    "session.login": EVERYONE,
    "session.logout": EVERYONE,
    "auth.me": SIGNED_IN,
    "provider.register": REGISTRANTS,
    "provider.organisation": PROVIDERS,
    "provider.resources.list": PROVIDERS,
    "provider.resources.create": PROVIDERS,
    "provider.resources.get": {"provider_a"},
    "provider.resources.update": {"provider_a"},
    "provider.cases.create": {"provider_a"},
    "provider.evidence.list": PROVIDERS,
    "provider.evidence.upload": {"provider_a"},
    "provider.applications.list": PROVIDERS,
    "provider.applications.start": {"provider_a"},
    "provider.applications.get": {"provider_a"},
    "provider.applications.submit": {"provider_a"},
    "provider.applications.resubmit": {"provider_a"},
    "provider.notifications": PROVIDERS,
    "city.queue": REVIEWERS,
    "city.applications.list": REVIEWERS,
    "city.overdue": REVIEWERS,
    "city.applications.get": {"reviewer_x"},
    "city.decide": {"reviewer_x"},
    "city.evidence": {"reviewer_x"},
    "expert.applications.list": EXPERTS,
    "expert.conflicts.declare": EXPERTS,
    "expert.applications.get": {"expert_assigned"},
    "expert.score": {"expert_assigned"},
    "expert.evidence": {"expert_assigned"},
    "province.audit": frozenset({"staff", "admin"}),
    "admin.users.list": {"admin"},
    "admin.users.create": {"admin"},
    # the annual catalog (public); events (the organiser's own, staff all); relevance dashboard
    "catalog.list": EVERYONE,
    "catalog.xlsx": EVERYONE,
    "page.catalog": EVERYONE,
}
EXPECTED |= {
    name: frozenset({"organiser", "staff"})
    for name in (
        "events.list",
        "events.create",
        "events.get",
        "events.needs.add",
        "events.needs.remove",
        "events.shortlist.compute",
        "events.shortlist",
        "events.items.add",
        "events.items.reorder",
        "events.items.annotate",
        "events.items.remove",
        "events.export",
        "page.events",
        "page.events.create",
        "page.event",
        "page.event.need_add",
        "page.event.need_remove",
        "page.event.shortlist",
        "page.event.items",
    )
}
EXPECTED |= {
    name: frozenset({"relevance_staff", "admin"})
    for name in (
        "relevance.needs",
        "relevance.results",
        "relevance.judgments.record",
        "relevance.judgments.list",
        "relevance.judgments.remove",
        "relevance.qrels",
        "relevance.report",
        "relevance.report.file",
        "page.relevance",
        "page.relevance.judge",
        "page.relevance.report",
    )
}
# After certification (Art.18, 19, 21), complaints (Art.23), public objections (Art.15). A
# complaint not assigned to a municipal reviewer is answered 404 (hidden, as if absent) by the
# registry, not 403: `reviewer_y` passes the role gate there and meets that 404.
EXPECTED |= {
    "provider.library.list": PROVIDERS,
    "provider.annual_reports.list": PROVIDERS,
    "provider.warnings.list": PROVIDERS,
    "provider.withdrawals.list": PROVIDERS,
    "provider.annual_reports.file": {"provider_a"},
    "provider.warnings.get": {"provider_a"},
    "provider.warnings.rectify": {"provider_a"},
    "provider.withdrawals.request": {"provider_a"},
    "provider.withdrawals.get": {"provider_a"},
    "provider.withdrawals.cancel": {"provider_a"},
    "city.withdrawals.list": REVIEWERS,
    "city.withdrawals.get": {"reviewer_x"},
    "city.withdrawals.forward": {"reviewer_x"},
    # entry change requests: provider A's entry and its pending change (B meets 403)
    "provider.entry_changes.create": {"provider_a"},
    "provider.entry_changes.list": PROVIDERS,
    "provider.entry_changes.get": {"provider_a"},
    "provider.entry_changes.withdraw": {"provider_a"},
    "complaints.file": EVERYONE,
    "complaints.follow_up": EVERYONE,
    "publicity.objections.raise": EVERYONE,
    "objections.follow_up": EVERYONE,
    "complaints.list": frozenset({"staff"}) | REVIEWERS,
    "complaints.get": frozenset({"staff"}) | REVIEWERS,
    "complaints.notes.add": frozenset({"staff"}) | REVIEWERS,
    "complaints.close": frozenset({"staff"}) | REVIEWERS,
    "page.lifecycle.provider": PROVIDERS,
    "page.lifecycle.report_form": {"provider_a"},
    "page.lifecycle.report_file": {"provider_a"},
    "page.lifecycle.warning": {"provider_a"},
    "page.lifecycle.rectify": {"provider_a"},
    "page.lifecycle.withdrawal_form": {"provider_a"},
    "page.lifecycle.withdrawal_request": {"provider_a"},
    "page.lifecycle.withdrawal_cancel": {"provider_a"},
    "page.lifecycle.change_form": {"provider_a"},
    "page.lifecycle.change_request": {"provider_a"},
    "page.lifecycle.change_withdraw": {"provider_a"},
    "page.lifecycle.city": REVIEWERS,
    "page.lifecycle.city_forward": {"reviewer_x"},
    "page.complaints.form": EVERYONE,
    "page.complaints.file": EVERYONE,
    "page.complaints.follow_up": EVERYONE,
    "page.complaints.follow_up_check": EVERYONE,
    "page.complaints.publicity": EVERYONE,
    "page.complaints.object": EVERYONE,
    "page.complaints.objection_follow_up": EVERYONE,
    "page.complaints.objection_check": EVERYONE,
    "page.complaints.staff": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.detail": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.act": frozenset({"staff"}) | REVIEWERS,
    "page.complaints.assign": {"staff"},
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "page.lifecycle.province",
        "page.lifecycle.province_entry",
        "page.lifecycle.province_warning",
        "page.lifecycle.removal_preview",
        "page.lifecycle.annual_reports",
        "page.lifecycle.warn",
        "page.lifecycle.priority",
        "page.lifecycle.warning_decide",
        "page.lifecycle.withdrawal_decide",
        "page.lifecycle.remove",
        "page.lifecycle.referral_sent",
        "page.lifecycle.changes",
        "page.lifecycle.change",
        "page.lifecycle.change_decide",
    )
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "province.library.list",
        "province.warnings.create",
        "province.warnings.list",
        "province.warnings.get",
        "province.warnings.close",
        "province.warnings.remove",
        "province.withdrawals.list",
        "province.withdrawals.get",
        "province.withdrawals.approve",
        "province.withdrawals.refuse",
        "province.removals.preview",
        "province.removals.create",
        "province.referrals.list",
        "province.referrals.sent",
        "province.annual_reports.list",
        "province.flags.list",
        "province.entry_changes.list",
        "province.entry_changes.get",
        "province.entry_changes.approve",
        "province.entry_changes.reject",
        "complaints.assignees",
        "complaints.assign",
    )
}
EXPECTED |= {
    name: frozenset({"staff"})
    for name in (
        "province.batches.create",
        "province.applications.list",
        "province.applications.get",
        "province.evidence",
        "province.waiver",
        "province.experts.list",
        "province.panel.assign",
        "province.panel.report",
        "province.publicity.start",
        "province.objections.list",
        "province.objections.raise",
        "province.objections.decide",
        "province.certify",
        "province.direct_entry.verify",
        "province.reject",
        "province.void",
        "province.organisations.get",
        "province.bans.create",
        "province.accidents.create",
        "province.violations.create",
        "province.priority",
        "province.overdue",
    )
}
# The web pages of the need search, the library, signing in and the review consoles: the same
# rule as the API route each one stands beside (a page is no back door).
EXPECTED |= {
    "page.home": EVERYONE,
    "page.search": EVERYONE,
    "page.library": EVERYONE,
    "page.resource": EVERYONE,
    "page.login": EVERYONE,  # a signed-in visitor is sent on to their workspace
    "page.workspace": SIGNED_IN,
    "page.register": REGISTRANTS,
    "page.register_submit": REGISTRANTS,
    # the provider portal: each provider its own organisation; the ids are provider A's
    "page.provider.home": PROVIDERS,
    "page.provider.resource_new": PROVIDERS,
    "page.provider.resource_create": PROVIDERS,
    "page.provider.resource": {"provider_a"},
    "page.provider.resource_edit": {"provider_a"},
    "page.provider.resource_update": {"provider_a"},
    "page.provider.case_create": {"provider_a"},
    "page.provider.evidence_upload": {"provider_a"},
    "page.provider.application": {"provider_a"},
    "page.provider.application_start": {"provider_a"},
    "page.provider.application_submit": {"provider_a"},
    "page.provider.application_resubmit": {"provider_a"},
    # the consoles: 广州's reviewer for 广州's application (Art.13), the assigned expert only
    # (Art.14, 22), provincial staff for the whole procedure
    "page.city.queue": REVIEWERS,
    "page.city.application": {"reviewer_x"},
    "page.city.decide": {"reviewer_x"},
    "page.expert.list": EXPERTS,
    "page.expert.application": {"expert_assigned"},
    "page.expert.score": {"expert_assigned"},
    "page.province.desk": {"staff"},
    "page.province.applications": {"staff"},
    "page.province.application": {"staff"},
    "page.province.act": {"staff"},
    "page.province.batch_create": {"staff"},
    "page.province.audit": frozenset({"staff", "admin"}),
}
