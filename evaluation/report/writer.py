"""Writing a report folder: `<root>/<timestamp>-<name>/` with report.md, report.html, plots/
and results.json."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from evaluation.report.blocks import FIGURE_DIR, Block, Figure, to_html, to_markdown

DEFAULT_ROOT = Path("var/reports")


def report_dir(root: Path, name: str, now: datetime) -> Path:
    """A new folder for the report (a numeric suffix if the second is taken)."""
    slug = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:80] or "report"
    base = root / f"{now:%Y%m%d-%H%M%S}-{slug}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    folder.mkdir(parents=True)
    return folder


def write_report(
    *,
    root: Path,
    name: str,
    title: str,
    blocks: Sequence[Block],
    now: datetime,
    data: Mapping[str, Any] | None = None,
) -> Path:
    """Write markdown (plots beside it), self-contained HTML and JSON; return the folder."""
    folder = report_dir(root, name, now)
    figures = [b for b in blocks if isinstance(b, Figure)]
    if figures:
        (folder / FIGURE_DIR).mkdir()
        for figure in figures:
            (folder / FIGURE_DIR / f"{figure.name}.png").write_bytes(figure.png)
    (folder / "report.md").write_text(to_markdown(title, blocks), encoding="utf-8")
    (folder / "report.html").write_text(to_html(title, blocks), encoding="utf-8")
    if data is not None:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        (folder / "results.json").write_text(text + "\n", encoding="utf-8")
    return folder
