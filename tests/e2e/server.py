"""The app under a real uvicorn server for the browser tests: `python -m tests.e2e.server PORT`.

Settings come from the environment (FUNENG_*), as in `funeng serve`. One difference: the
routes' clock reads the moment written in the file named by FUNENG_E2E_CLOCK (the real time
when the file is absent), so a test can let five working days of publicity pass while the
server, its live index and its poller keep running.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class FileClock:
    """Now, as written in a file (ISO 8601 with an offset), else the real time."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> datetime:
        from api.deps import current_time

        try:
            return datetime.fromisoformat(self.path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return current_time()


def main() -> None:
    """Create the app from the environment and serve it on 127.0.0.1:PORT."""
    import uvicorn

    from api.app import create_app
    from api.deps import current_time
    from api.settings import Settings

    app = create_app(Settings())
    app.dependency_overrides[current_time] = FileClock(Path(os.environ["FUNENG_E2E_CLOCK"]))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), workers=1, log_level="warning")


if __name__ == "__main__":
    main()
