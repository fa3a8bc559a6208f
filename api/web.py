"""What the server-rendered pages build on: the Jinja2 environment (templates under
`api/templates/`, static files under `api/static/` served at `/static`) with the CSRF helpers
every form needs, and the discovery of page routers.

Page modules live in the package `api.pages`: each module defines `router: APIRouter` and may
define `PERMISSIONS: dict[str, Access]` for its route names; `create_app` includes them all.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from api.auth import CSRF_FIELD, csrf_token
from api.permissions import Access

API_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static"
PAGES_PACKAGE = "api.pages"


def csrf_input(request: Request) -> Markup:
    """A hidden form field carrying the session's CSRF token: `{{ csrf_input(request) }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


def make_templates() -> Jinja2Templates:
    """The pages' Jinja2 environment with `csrf_token(request)` and `csrf_input(request)`."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["csrf_input"] = csrf_input
    return templates


@dataclass(frozen=True, slots=True)
class PageModule:
    """A router of web pages and the permission entries of its routes."""

    name: str
    router: APIRouter
    permissions: Mapping[str, Access]


def page_modules() -> list[PageModule]:
    """Every module of `api.pages` that defines a `router`, by name (none before it exists)."""
    if importlib.util.find_spec(PAGES_PACKAGE) is None:
        return []
    package = importlib.import_module(PAGES_PACKAGE)
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{PAGES_PACKAGE}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(PageModule(info.name, router, getattr(module, "PERMISSIONS", {})))
    return found
