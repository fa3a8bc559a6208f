"""The authorisation matrix (`test_matrix.py`) run on the routes and pages of the events,
catalog and relevance modules alone: every caller against the expected table, on a fresh copy of the
matrix world per route (the organiser's event holds a shortlisted library resource)."""

from __future__ import annotations

from api.app import api_routes
from tests.api.conftest import Shared, _prepare
from tests.api.matrix_spec import EXPECTED
from tests.api.test_matrix import Matrix, matrix, run_matrix

__all__ = ["matrix"]  # the matrix world fixture, built once for this module too

PREFIXES = ("events.", "catalog.", "relevance.", "page.event", "page.catalog", "page.relevance")


def names(shared: Shared) -> set[str]:
    return {str(r.name) for r in api_routes(shared.app) if str(r.name).startswith(PREFIXES)}


def test_every_route_of_these_modules_has_a_row(shared: Shared) -> None:
    mine = names(shared)
    assert len(mine) == 22 + 11  # API routes + pages
    assert sorted(mine - set(EXPECTED)) == []
    assert sorted(n for n in EXPECTED if n.startswith(PREFIXES) and n not in mine) == []


def test_events_catalog_and_relevance_for_every_caller(shared: Shared, matrix: Matrix) -> None:
    _prepare(shared.app, shared.clock)
    assert run_matrix(shared, matrix, names(shared)) == []
