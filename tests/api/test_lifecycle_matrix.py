"""The authorisation matrix (`test_matrix.py`) run on the routes of library management after
certification, complaints and public objections alone: every caller against the expected
table, on a fresh copy of the matrix world per route (provider A's library entry with an open
warning, a withdrawal request waiting for 广州, a complaint assigned to 广州's reviewer, a pending
change of its content)."""

from __future__ import annotations

from api.app import api_routes
from tests.api.conftest import Shared, _prepare
from tests.api.matrix_spec import EXPECTED
from tests.api.test_matrix import Matrix, matrix, run_matrix  # noqa: F401 (the fixture)

PREFIXES = (
    "provider.library.",
    "provider.annual_reports.",
    "provider.warnings.",
    "provider.withdrawals.",
    "city.withdrawals.",
    "province.library.list",
    "province.warnings.",
    "province.withdrawals.",
    "province.removals.",
    "province.referrals.",
    "province.annual_reports.",
    "province.flags.",
    "provider.entry_changes.",
    "province.entry_changes.",
    "complaints.",
    "publicity.objections.",
    "objections.",
    "page.lifecycle.",
    "page.complaints.",
)


def names(shared: Shared) -> set[str]:
    return {str(r.name) for r in api_routes(shared.app) if str(r.name).startswith(PREFIXES)}


def test_every_route_of_these_modules_has_a_row(shared: Shared) -> None:
    mine = names(shared)
    assert len(mine) == 86  # 47 API routes, 39 pages
    assert sorted(mine - set(EXPECTED)) == []
    assert sorted(n for n in EXPECTED if n.startswith(PREFIXES) and n not in mine) == []


def test_lifecycle_and_complaints_for_every_caller(
    shared: Shared,
    matrix: Matrix,  # noqa: F811 (the imported fixture)
) -> None:
    _prepare(shared.app, shared.clock)
    assert run_matrix(shared, matrix, names(shared)) == []
