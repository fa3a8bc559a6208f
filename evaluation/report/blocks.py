"""Report content as plain blocks, rendered to markdown (plots as files beside it) and to one
self-contained HTML page (plots embedded as base64 PNG)."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass

FIGURE_DIR = "plots"


@dataclass(frozen=True)
class Heading:
    """A section title (level 2) or sub-title (level 3)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of text cells; `numeric` columns are right-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Figure:
    """A PNG plot; `name` is its file name (without .png) beside the markdown."""

    name: str
    png: bytes
    caption: str


@dataclass(frozen=True)
class Preformatted:
    """Text shown as is (e.g. ranx's comparison table)."""

    text: str


Block = Heading | Paragraph | Table | Figure | Preformatted


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(title: str, blocks: Sequence[Block]) -> str:
    """The report as markdown; figures are referenced as `plots/<name>.png`."""
    out = [f"# {title}", ""]
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            align = ["---:" if i in block.numeric else "---" for i in range(len(block.headers))]
            out.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
            out.append("| " + " | ".join(align) + " |")
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Figure):
            out += [
                f"![{block.caption}]({FIGURE_DIR}/{block.name}.png)",
                "",
                f"*{block.caption}*",
                "",
            ]
        else:
            out += ["```", block.text, "```", ""]
    return "\n".join(out)


_STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.5; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f0f3f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
"""


def to_html(title: str, blocks: Sequence[Block]) -> str:
    """The report as one HTML page with every plot embedded (no external file)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for block in blocks:
        out.append(_html_block(block))
    out.append("</body></html>")
    return "\n".join(out)


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{html.escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Table):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
        rows = []
        for row in block.rows:
            cells = "".join(
                f'<td class="num">{html.escape(c)}</td>'
                if i in block.numeric
                else f"<td>{html.escape(c)}</td>"
                for i, c in enumerate(row)
            )
            rows.append(f"<tr>{cells}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        caption = html.escape(block.caption)
        return (
            f'<figure><img alt="{caption}" src="data:image/png;base64,{data}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return f"<pre>{html.escape(block.text)}</pre>"
