"""`funeng serve`: the API and web pages under uvicorn, one worker, thread pools capped."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.settings import Settings

NAME = ""
app = typer.Typer()

# Native pools (torch, BLAS, tokenizers) default to one thread per core; on a small machine a
# single query is fastest on one thread, and the request threads already run in parallel.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址（默认取设置 server.host）")] = None,
    port: Annotated[int | None, typer.Option(help="端口（默认取设置 server.port）")] = None,
) -> None:
    """Serve http://HOST:PORT with the settings of this environment (FUNENG_*)."""
    for name, value in THREAD_ENV.items():
        os.environ.setdefault(name, value)
    import uvicorn

    from api.app import create_app
    from api.observability import configure_logging

    settings = Settings()
    configure_logging(level=settings.server.log_level, json_lines=settings.server.log_json)
    uvicorn.run(
        create_app(settings),
        host=host or settings.server.host,
        port=port or settings.server.port,
        workers=1,
        access_log=False,  # the app logs one access record per request, with its request id
        log_config=None,  # keep the structured logging configured above
        server_header=False,
    )
