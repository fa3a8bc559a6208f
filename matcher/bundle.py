"""Bundles: complementary resources that together answer a need with several aspects.

A need such as "想用机器视觉做缺陷检测，同时上线MES，并通过跨境电商拓展海外市场" has three
aspects. `split_aspects` cuts it at clause punctuation, enumeration commas and conjunctions;
each aspect is matched on its own; `greedy_cover` then chooses resources by greedy weighted set
cover (Chvátal 1979, "A Greedy Heuristic for the Set-Covering Problem"): each step takes the
resource whose confident matches add the most weight over the aspects not yet covered, so one
resource covering two aspects beats two resources covering one each (Art.5 综合赋能).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

# Clause ends and separators, then conjunctions. A conjunction character inside a common word
# is not a separator: 及时 / 涉及 / 普及 / 及其, 和谐 / 总和 / 饱和, 合并 / 并购 / 并行.
_SEPARATORS = re.compile(
    r"[，,。；;！!？?、\n\r]+"
    r"|以及|并且|而且|同时|另外|此外|还有|还要|还想"
    r"|(?<![合兼吞])并(?![且购行发列存])"
    r"|(?<![涉普危])及(?![时其格])"
    r"|(?<![总饱温调])和(?![谐平])"
)
# A clause that introduces the asker ("我们是东莞的注塑厂") is context, not an aspect.
_CONTEXT = re.compile(r"^(我们|我司|本公司|我公司|公司|本厂|我厂|我们公司)(是|为|系|属于|位于)")


def split_aspects(need: str, *, keep: Callable[[str], bool] = bool) -> list[str]:
    """The aspects of a need in order, without context clauses and pieces `keep` rejects."""
    pieces = (piece.strip() for piece in _SEPARATORS.split(need))
    aspects = [p for p in pieces if p and not _CONTEXT.match(p) and keep(p)]
    return list(dict.fromkeys(aspects))


def greedy_cover(
    coverage: Sequence[Mapping[str, float]], *, max_parts: int
) -> tuple[list[tuple[str, tuple[int, ...]]], tuple[int, ...]]:
    """Choose resources to cover aspects; `coverage[a]` maps resource id -> weight in (0, 1].

    Returns the chosen (resource id, aspects credited to it) in the order chosen, and the
    aspects nobody covers. Ties go to the larger total weight, then to the resource seen first.
    """
    order: dict[str, int] = {}
    for weights in coverage:
        for resource_id in weights:
            order.setdefault(resource_id, len(order))
    uncovered = {a for a, weights in enumerate(coverage) if weights}
    parts: list[tuple[str, tuple[int, ...]]] = []
    chosen: set[str] = set()
    while uncovered and len(parts) < max_parts:
        best, best_key = None, (0.0, 0.0, 0)
        for resource_id, position in order.items():
            if resource_id in chosen:
                continue
            gain = sum(coverage[a].get(resource_id, 0.0) for a in uncovered)
            total = sum(weights.get(resource_id, 0.0) for weights in coverage)
            key = (gain, total, -position)
            if gain > 0 and (best is None or key > best_key):
                best, best_key = resource_id, key
        if best is None:
            break
        credited = tuple(sorted(a for a in uncovered if coverage[a].get(best, 0.0) > 0))
        parts.append((best, credited))
        chosen.add(best)
        uncovered -= set(credited)
    missing = tuple(a for a in range(len(coverage)) if not any(a in p[1] for p in parts))
    return parts, missing
