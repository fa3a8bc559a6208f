"""The browser tier: one real uvicorn server per session over a temporary SQLite database with
part of the demo library loaded through `funeng registry load`, the real embedding model and
its live index; headless Chromium from Debian driven by Playwright; screenshots of every page
at desktop and phone width under `var/screenshots/`.

The server's clock is a file (see `tests/e2e/server.py`): tests set it to fixed moments so the
procedure's working-day deadlines do not depend on the day the suite runs.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--lang=zh-CN",  # Chinese date and file inputs (Debian's chromium-l10n, installed by make)
]  # fmt: skip
# Four files of the demo library: AI applications and manufacturing services of Shenzhen
# providers, and AI applications of other cities, some stopped on the way (consoles have work).
LIBRARY = ("ai_01.yaml", "mf_01.yaml", "ai_05.yaml", "ai_06.yaml")
DEMO_PASSWORD = "funeng-demo-2026"
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # inside batch 2026Q4
# Phone first: the page is left loaded at desktop width for what the test does next.
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
READY_SECONDS = 600.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _funeng(env: dict[str, str], *args: str) -> None:
    script = Path(sys.executable).with_name("funeng")
    done = subprocess.run(
        [str(script), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"funeng {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


@dataclass
class Server:
    """The running server: its address, its clock file and its database."""

    url: str
    clock_file: Path
    database_url: str
    log: Path

    def set_clock(self, moment: datetime) -> None:
        """Move the server's clock (read by every request)."""
        self.clock_file.write_text(moment.isoformat(), encoding="utf-8")

    def api(self) -> httpx.Client:
        """An HTTP client on the server."""
        return httpx.Client(base_url=self.url, timeout=30.0)


def _environment(directory: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FUNENG_ENVIRONMENT="test",
        FUNENG_DATABASE_URL=f"sqlite:///{directory / 'funeng.db'}",
        FUNENG_VAR_DIR=str(directory / "var"),
        FUNENG_SECRET_KEY=secrets.token_urlsafe(32),
        FUNENG_INDEX__DIR=str(directory / "index"),
        FUNENG_INDEX__SERVE="true",
        FUNENG_INDEX__POLL_INTERVAL_SECONDS="0.5",
        FUNENG_MODEL__PATH=str(ROOT / "var" / "models" / "multilingual-e5-small"),
        FUNENG_MODEL__THREADS="2",  # the first build embeds the library; queries are single
        FUNENG_AUTH__COOKIE_SECURE="false",  # plain http on 127.0.0.1
        FUNENG_E2E_CLOCK=str(directory / "clock.txt"),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    return env


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    started = time.monotonic()
    while time.monotonic() - started < READY_SECONDS:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ready", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(
        f"the server was not ready in {READY_SECONDS} s:\n{log.read_text()[-3000:]}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Migrate, load the demo files through the workflow, serve, wait for the index."""
    directory = tmp_path_factory.mktemp("e2e")
    env = _environment(directory)
    _funeng(env, "registry", "migrate")
    library = [str(ROOT / "data" / "demo" / "library" / name) for name in LIBRARY]
    _funeng(env, "registry", "load", *library, "--keep-going")
    port = _free_port()
    log = directory / "server.log"
    running = Server(f"http://127.0.0.1:{port}", Path(env["FUNENG_E2E_CLOCK"]),
                     env["FUNENG_DATABASE_URL"], log)  # fmt: skip
    running.set_clock(START)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.server", str(port)],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_ready(running.url, process, log)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian (never a downloaded browser).

    Package scope, not session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, and tests after this package call ``asyncio.run``.
    """
    with sync_playwright() as playwright:
        # Date inputs follow the process locale, not --lang: a Chinese environment shows them
        # as a reader here would see them (2026/01/05, not 01/05/2026).
        chinese = {**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"}
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=chinese
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh browser context (no cookies) at desktop width, on the server."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shoot(page: Page, name: str, *, reload: bool = True) -> None:
    """The page at desktop and phone width, full length, into var/screenshots/.

    With `reload` the page is loaded again at each width (GET pages), so scripts that adapt to
    the width run; otherwise the current document is laid out again (a form's answer). A page
    wider than the screen (sideways scrolling of the whole page) fails the test."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        if reload:
            page.goto(page.url)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} overflows at {width} px: {scroll_width} px wide"


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and land on the role's workspace."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} could not sign in"


def sign_out(page: Page) -> None:
    """The header's sign-out button."""
    page.click(".account__logout button")
    page.wait_for_load_state()
