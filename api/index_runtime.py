"""The live search index inside the app: opened at start-up in a background thread (a snapshot
loaded and caught up with the outbox, or built from the library when none fits), kept fresh
by the outbox poller, reported to `/ready`, and closed at shutdown.

Opening in the background keeps the server answering while a first build embeds the library:
`/ready` says "loading" and `POST /api/v1/match` answers 503 `index_not_ready` until then.
Tests inject another index (a keyword encoder, a small library) with `set_index_factory`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker

from api.errors import ServiceError
from api.readiness import Check, set_index_probe
from api.settings import Settings

if TYPE_CHECKING:
    from indexing.live import LiveIndex
    from indexing.service import IndexOptions

logger = logging.getLogger("funeng.api")

IndexFactory = Callable[[Settings, sessionmaker[Session]], "LiveIndex"]
# No model hub here: a missing model must fail fast, never hang on a download.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def serves_index(settings: Settings) -> bool:
    """Whether this deployment opens the live index (explicit setting, else all but "test")."""
    if settings.index.serve is not None:
        return settings.index.serve
    return settings.environment != "test"


def index_options(settings: Settings) -> IndexOptions:
    """The index options of a deployment's settings."""
    from indexing.service import IndexOptions

    model = settings.model
    return IndexOptions(
        index_dir=settings.index.dir,
        model=model.name_or_path or str(model.path),
        query_prefix=model.query_prefix,
        passage_prefix=model.passage_prefix,
        threads=model.threads,
        batch_size=model.batch_size,
        max_seq_length=model.max_seq_length,
        warned_factor=settings.index.warned_factor,
        priority_boost=settings.index.priority_boost,
        dense_storage=settings.index.dense_storage,
    )


def default_index_factory(settings: Settings, sessions: sessionmaker[Session]) -> LiveIndex:
    """The deployment's index: its model, its folder, the default ranking configuration."""
    from api.ranking import default_ranking_config
    from indexing.service import create_live_index

    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)
    return create_live_index(
        options=index_options(settings), sessions=sessions, config=default_ranking_config()
    )


class IndexRuntime:
    """One live index, its opening thread and its poller."""

    def __init__(self, live: LiveIndex, *, poll_interval: float) -> None:
        self.live = live
        self.poll_interval = poll_interval
        self._opened = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        self._error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the index in a background thread, then poll the outbox."""
        self._thread = threading.Thread(target=self._open, name="funeng-index-open", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        started = time.perf_counter()
        try:
            origin = self.live.open()
        except Exception as error:  # reported by /ready; the pages and the API stay up
            self._error = f"{type(error).__name__}: {error}"
            logger.exception("the search index could not be opened")
            return
        with self._lock:
            if self._closed:
                return
            self.live.start(self.poll_interval)
        status = self.live.status()
        if origin == "built":
            logger.info(
                "no usable index snapshot: built from the library (%d resources, %d cases), %.1f s",
                status.resources,
                status.cases,
                time.perf_counter() - started,
            )
        else:
            logger.info(
                "index snapshot %s loaded (%d resources), %d events applied, in %.1f s",
                status.snapshot,
                status.resources,
                status.events_applied,
                time.perf_counter() - started,
            )
        self._opened.set()

    def wait_ready(self, timeout: float) -> bool:
        """Block until the index serves (True) or `timeout` seconds pass (False)."""
        return self._opened.wait(timeout)

    def probe(self) -> Check:
        """The index's part of `/ready`."""
        if self._error is not None:
            return Check("error", self._error)
        if not self._opened.is_set() or not self.live.ready:
            return Check("loading", "检索索引正在加载或构建")
        status = self.live.status()
        if status.last_error:
            return Check("ok", f"{status.resources} 项资源；最近一次更新出错：{status.last_error}")
        return Check("ok", f"{status.resources} 项资源，语料版本 {status.corpus_version}")

    def require(self) -> LiveIndex:
        """The live index, or 503 while it is not serving."""
        if self._error is not None:
            raise ServiceError(503, "index_unavailable", "检索索引不可用，已记录，请稍后重试")
        if not self._opened.is_set():
            raise ServiceError(503, "index_not_ready", "检索索引正在加载，请稍候几秒再试")
        return self.live

    def close(self) -> None:
        """Stop polling and release the index's threads (an unfinished opening is abandoned)."""
        with self._lock:
            self._closed = True
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            if self._thread.is_alive():
                logger.warning("index still opening at shutdown: abandoned")
                self.live.stop()
                return
        self.live.close()


def set_index_factory(app: FastAPI, factory: IndexFactory) -> None:
    """Use `factory` instead of the deployment's index when the app starts (tests)."""
    app.state.index_factory = factory


def start_index(app: FastAPI) -> IndexRuntime | None:
    """Open the app's index in the background and plug its readiness probe (lifespan start)."""
    settings: Settings = app.state.settings
    app.state.index_runtime = None
    if not serves_index(settings):
        return None
    factory: IndexFactory = getattr(app.state, "index_factory", None) or default_index_factory
    runtime = IndexRuntime(
        factory(settings, app.state.sessions), poll_interval=settings.index.poll_interval_seconds
    )
    runtime.start()
    app.state.index_runtime = runtime
    set_index_probe(app, runtime.probe)
    return runtime


def stop_index(app: FastAPI) -> None:
    """Close the app's index (lifespan end)."""
    runtime: IndexRuntime | None = getattr(app.state, "index_runtime", None)
    if runtime is not None:
        runtime.close()
        app.state.index_runtime = None


def index_runtime(request: Request) -> IndexRuntime:
    """The request's app's index runtime; 503 when this deployment serves no index."""
    runtime: IndexRuntime | None = getattr(request.app.state, "index_runtime", None)
    if runtime is None:
        raise ServiceError(503, "index_not_configured", "本服务未启用检索索引，需求匹配暂不可用")
    return runtime
