"""What every web page shares: rendering with the layout's context (who is signed in, the
navigation, flash messages), redirects after a form, errors in Chinese with their article,
and the Jinja2 filters of the templates (`mark`, `dt`, `d`).

Page route names start with `page.`: `api.pages.html_errors` answers their errors as pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import ValidationError

from api.auth import Principal
from api.errors import ServiceError
from api.highlight import Span, excerpt, mark
from api.pages.navigation import PUBLIC_NAV, WORKSPACES, links
from api.pages.validation import message_of
from registry.enums import Role
from registry.errors import RegistryError
from registry.findings import article_zh

SHANGHAI_FMT = "%Y-%m-%d %H:%M"
ROLE_LABELS = {
    Role.PROVIDER: "申报单位",
    Role.MUNICIPAL_REVIEWER: "地市初审",
    Role.PROVINCIAL_STAFF: "省工信厅",
    Role.EXPERT: "评审专家",
    Role.ORGANISER: "对接活动组织方",
    Role.RELEVANCE_STAFF: "检索效果评测",
    Role.ADMIN: "系统管理员",
}
# Where each role works after signing in: the first item of its workspace (kept as a mapping
# for the page modules that registered theirs here before the workspaces were defined).
ROLE_HOMES: dict[Role, str] = {role: w.home for role, w in WORKSPACES.items()}
# Pages may be framed by nobody, run only our own scripts and styles, post only to us.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True, slots=True)
class ErrorView:
    """An error shown on a page: the Chinese message, the article it cites, the field."""

    message: str
    article: str | None = None
    field: str | None = None


@dataclass
class PageErrors:
    """The errors of a refused form, and the HTTP status to answer with."""

    status: int
    items: list[ErrorView] = field(default_factory=list)

    def for_field(self, name: str) -> list[ErrorView]:
        """The errors of one form field."""
        return [e for e in self.items if e.field == name]


def role_home(role: Role) -> str:
    """The workspace of a role (the need search for roles without one)."""
    return ROLE_HOMES.get(role, "/")


def errors_of(error: Exception) -> PageErrors:
    """A refused action's errors for the page: every finding with its article."""
    if isinstance(error, ValidationError):
        items = [
            ErrorView(message_of(e), field=".".join(str(p) for p in e["loc"]) or None)
            for e in error.errors()
        ]
        return PageErrors(422, items)
    if isinstance(error, RegistryError):
        from api.errors import STATUS_BY_REGISTRY_ERROR

        status = next(
            (s for cls, s in STATUS_BY_REGISTRY_ERROR.items() if isinstance(error, cls)), 400
        )
        findings = [f for f in error.findings if f.blocking] or list(error.findings)
        if findings:
            return PageErrors(
                status,
                [ErrorView(f.message, _article(f.article), _loc(f.loc)) for f in findings],
            )
        return PageErrors(
            status, [ErrorView(error.message, _article(error.article), _loc(error.loc))]
        )
    if isinstance(error, ServiceError):
        article = (error.ctx or {}).get("article")
        return PageErrors(
            error.status_code, [ErrorView(error.message, _article(article), _loc(error.loc))]
        )
    raise error


def _article(article: str | None) -> str | None:
    return article_zh(article) if article else None


def _loc(loc: tuple[str | int, ...]) -> str | None:
    return ".".join(str(p) for p in loc) or None


def flash(request: Request, message: str, kind: str = "success") -> None:
    """A message shown once on the next page (kept in the signed session cookie)."""
    request.session.setdefault("flash", []).append({"kind": kind, "message": message})


def redirect(url: str) -> RedirectResponse:
    """After a successful form: see the result with a GET (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)


def layout_context(request: Request, principal: Principal | None) -> dict[str, Any]:
    """What the layout needs: the signed-in user, the public navigation and the user's
    workspace, flashed messages."""
    user = None
    if principal is not None:
        role = principal.actor.role
        user = {
            "name": principal.display_name,
            "role": role.value,
            "role_label": ROLE_LABELS.get(role, role.value),
            "home": role_home(role),
        }
    path = request.url.path
    workspace = WORKSPACES.get(principal.actor.role) if principal is not None else None
    return {
        "request": request,
        "user": user,
        "nav": links(path, PUBLIC_NAV),
        "workspace": (
            {"title": workspace.title, "items": links(path, workspace.items)} if workspace else None
        ),
        "flashes": request.session.pop("flash", []) if "session" in request.scope else [],
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    principal: Principal | None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page: `template` in the layout, with its security headers."""
    templates: Jinja2Templates = request.app.state.templates
    install_filters(templates)
    response = templates.TemplateResponse(
        request,
        template,
        {**layout_context(request, principal), **context},
        status_code=status_code,
    )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store" if principal else "no-cache"
    return response


def _dt(value: datetime | None, fmt: str = SHANGHAI_FMT) -> Markup | str:
    """A moment in Asia/Shanghai as a `<time>` (never broken across lines), `—` when none."""
    from api.deps import SHANGHAI

    if value is None:
        return "—"
    local = value.astimezone(SHANGHAI)
    return Markup('<time datetime="{}">{}</time>').format(
        local.isoformat(timespec="minutes"), local.strftime(fmt)
    )


def _d(value: date | None) -> Markup | str:
    """A day as a `<time>` (GB/T 7408: 2026-03-31), `—` when none."""
    if value is None:
        return "—"
    return Markup('<time datetime="{0}">{0}</time>').format(value.isoformat())


def _mark(field: Any) -> Any:
    """`{{ field | mark }}`: a FieldRead's text with its highlights in `<mark>`."""
    spans = [Span(h.start, h.end, h.term) for h in field.highlights]
    return mark(field.text, spans)


def _excerpt_mark(field: Any, width: int = 120) -> Any:
    """`{{ field | excerpt_mark(150) }}`: a short excerpt around the first highlight, marked."""
    spans = [Span(h.start, h.end, h.term) for h in field.highlights]
    text, moved = excerpt(field.text, spans, width=width)
    return mark(text, moved)


def _event_zh(value: str) -> str:
    from registry.workflow import EVENT_LABELS, Event

    return EVENT_LABELS.get(Event(value), value) if value in Event._value2member_map_ else value


def _state_zh(value: str) -> str:
    from registry.enums import ApplicationStatus
    from registry.workflow import STATE_LABELS

    known = value in ApplicationStatus._value2member_map_
    return STATE_LABELS[ApplicationStatus(value)] if known else value


def _industry(code: str) -> str:
    """`C29 橡胶和塑料制品业` for a GB/T 4754 code."""
    from registry.reference import INDUSTRIES

    return f"{code} {INDUSTRIES[code]}" if code in INDUSTRIES else code


def _size(size_bytes: int) -> str:
    """A file size for people."""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.1f} KB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"


# How sure a match is, in words (`matcher.confidence`: on-topic needs of the calibration set
# scored 0.61 or more, off-topic ones 0.32 or less; the service withholds what is under 0.45).
CONFIDENCE_LEVELS = ((0.75, 3, "高"), (0.6, 2, "较高"), (float("-inf"), 1, "一般"))


def confidence_level(value: float) -> dict[str, Any]:
    """`{{ r.confidence | confidence_level }}`: level 1–3, its word and the percentage."""
    level, label = next((n, word) for floor, n, word in CONFIDENCE_LEVELS if value >= floor)
    return {"level": level, "label": label, "percent": round(value * 100)}


def distinct_terms(terms: list[str]) -> list[str]:
    """`{{ r.matched_terms | distinct_terms }}`: the terms not inside a longer one of the list
    (外观缺陷 covers 外观 and 缺陷), in their order: the reason at a glance."""
    return [t for t in terms if not any(t != other and t in other for other in terms)]


def _role_zh(value: str) -> str:
    known = value in Role._value2member_map_
    return ROLE_LABELS.get(Role(value), value) if known else value


FILTERS: dict[str, Callable[..., Any]] = {
    "role_zh": _role_zh,
    "confidence_level": confidence_level,
    "distinct_terms": distinct_terms,
    "industry": _industry,
    "size": _size,
    "event_zh": _event_zh,
    "state_zh": _state_zh,
    "mark": _mark,
    "excerpt_mark": _excerpt_mark,
    "dt": _dt,
    "d": _d,
}


def install_filters(templates: Jinja2Templates) -> None:
    """Add the pages' filters to the environment (once)."""
    if "mark" not in templates.env.filters:
        templates.env.filters.update(FILTERS)
        templates.env.globals["article_zh"] = article_zh


def attempt(session: Any, action: Callable[[], object]) -> PageErrors | None:
    """Run a registry action and commit; its errors for the page when refused (rolled back)."""
    try:
        action()
        session.commit()
    except (RegistryError, ServiceError, ValidationError) as error:
        session.rollback()
        return errors_of(error)
    return None
