"""The site's navigation, defined once: the public sections in the header for everyone, and the
workspace of the signed-in user's role as a second bar under it, so that every page a role
uses is one click away from any page (`tests/pages/test_navigation.py` checks this against the
page routes and their permissions). A role's home, where it lands after signing in, is the
first item of its workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from registry.enums import Role


@dataclass(frozen=True, slots=True)
class NavItem:
    """A link of a navigation bar; `match` are the path patterns (`*` for any part) of the
    pages below it, which make it current too."""

    label: str
    href: str
    match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Workspace:
    """A role's own navigation: its title and links, the first one being its home."""

    title: str
    items: tuple[NavItem, ...]

    @property
    def home(self) -> str:
        """Where the role lands after signing in."""
        return self.items[0].href


PUBLIC_NAV = (
    NavItem("需求匹配", "/"),
    NavItem("资源库", "/library", ("/library/*",)),
    NavItem("资源目录", "/catalog"),
    NavItem("公示", "/publicity", ("/publicity/*",)),
    NavItem("投诉举报", "/complaints", ("/complaints/*",)),
)
_COMPLAINT_DESK = NavItem("投诉举报", "/review/complaints", ("/review/complaints/*",))
_EVENTS = NavItem("对接活动", "/events", ("/events/*",))
_AUDIT = NavItem("审计日志", "/review/province/audit")
_RELEVANCE = (NavItem("相关性评测", "/relevance"), NavItem("评测报告", "/relevance/report"))

WORKSPACES: dict[Role, Workspace] = {
    Role.PROVIDER: Workspace(
        "申报单位工作台",
        (
            NavItem("申报与资源", "/provider", ("/provider/resources*", "/provider/applications*")),
            NavItem("入库资源", "/provider/library"),
            NavItem(
                "年度报告", "/provider/library#entries", ("/provider/library/*/annual-report",)
            ),
            NavItem("预警整改", "/provider/library#warnings", ("/provider/warnings/*",)),
            NavItem("信息变更", "/provider/library#entries", ("/provider/library/*/changes",)),
            NavItem(
                "退出申请", "/provider/library#withdrawals", ("/provider/library/*/withdrawal",)
            ),
        ),
    ),
    Role.MUNICIPAL_REVIEWER: Workspace(
        "地市工作台",
        (
            NavItem("审核队列", "/review/city", ("/review/city/applications/*",)),
            NavItem("退出申请转报", "/review/city/withdrawals"),
            _COMPLAINT_DESK,
        ),
    ),
    Role.EXPERT: Workspace(
        "专家工作台", (NavItem("专家评审", "/review/expert", ("/review/expert/*",)),)
    ),
    Role.PROVINCIAL_STAFF: Workspace(
        "省工信厅工作台",
        (
            NavItem("认定工作台", "/review/province"),
            NavItem(
                "全部申报", "/review/province/applications", ("/review/province/applications/*",)
            ),
            NavItem("资源库管理", "/review/province/library", ("/review/province/library/*",)),
            NavItem("年度报告", "/review/province/annual-reports"),
            NavItem("预警", "/review/province/library#warnings", ("/review/province/warnings/*",)),
            NavItem(
                "变更申请", "/review/province/entry-changes", ("/review/province/entry-changes/*",)
            ),
            NavItem(
                "移出",
                "/review/province/library?status=removed#entries",
                ("/review/province/organisations/*",),
            ),
            _COMPLAINT_DESK,
            NavItem("逾期", "/review/province#overdue"),
            _AUDIT,
            _EVENTS,
        ),
    ),
    Role.ORGANISER: Workspace("对接活动工作台", (_EVENTS,)),
    Role.RELEVANCE_STAFF: Workspace("检索效果评测", _RELEVANCE),
    Role.ADMIN: Workspace("系统管理", (_AUDIT, *_RELEVANCE)),
}


def _score(path: str, item: NavItem) -> int:
    """How precisely `item` names the page at `path` (0: not at all)."""
    exact = item.href == path  # a link to a part of a page (#, ?) is never the page itself
    patterns = [p for p in item.match if fnmatchcase(path, p)]
    return max([10_000] * exact + [len(p) for p in patterns], default=0)


def current(path: str, items: tuple[NavItem, ...]) -> NavItem | None:
    """The item of `items` the page at `path` belongs to, the most precise one winning."""
    best = max(items, key=lambda item: _score(path, item), default=None)
    return best if best is not None and _score(path, best) > 0 else None


def links(path: str, items: tuple[NavItem, ...]) -> list[dict[str, object]]:
    """The items for a template: label, href and whether it is the current one."""
    here = current(path, items)
    return [{"label": i.label, "href": i.href, "active": i is here} for i in items]
