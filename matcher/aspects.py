"""The aspects of a need: what a bundle must cover, and the context every aspect is read in.

A manufacturer writes one need with several asks ("贴片车间：AOI误报太多要复判、上料防错和追溯、
物料仓也想自动化"). `split_need` reads it in two levels:

1. Clauses, cut at sentence punctuation, commas and a spaced "+". In each clause:
   - a header before a colon ("贴片车间：…") is context, and so is the plant that opens a clause
     ("揭阳不锈钢厨具厂想上自动抛光机" → context 揭阳不锈钢厨具厂, ask 上自动抛光机);
   - a clause that only introduces the asker ("我们是东莞的注塑厂", "惠州一家储能电芯厂") is
     context;
   - budget, schedule, headcount, floor area and requests about how to proceed ("预算两三百万",
     "年底前上线", "能不能一起做") are no aspects: nothing in a library answers them.
2. Items inside a clause, cut at conjunctions (和, 及, 并, 以及, 同时, 还要…) and enumeration
   commas (、). A conjunction after a bare short word joins two nouns that share what follows
   ("BOM和变更系统", "隐患排查和风险分级的系统"), so such a pair stays one aspect.

Every aspect keeps the number of its clause, so that an aspect too thin to be matched alone
("高低温" in "高低温、盐雾这些可靠性试验") can be joined to its neighbour in the same clause
(`join_with_neighbour`). The context is what the dense query of each aspect is read with
(`aspect_text`): "上料防错" alone is ambiguous, "贴片车间：上料防错" is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_CLAUSES = re.compile(r"[，,。；;！!？?\n\r]+|\s+\+\s+|＋")
# Conjunctions, captured so a joined pair keeps its own. A conjunction character inside a common
# word is not a separator: 及时 / 涉及 / 普及 / 及其, 和谐 / 总和 / 饱和, 合并 / 并购 / 并行.
_CONJUNCTIONS = re.compile(
    r"(以及|并且|而且|同时|另外|此外|还有|还要|还想"
    r"|(?<![合兼吞])并(?![且购行发列存])"
    r"|(?<![涉普危])及(?![时其格])"
    r"|(?<![总饱温调])和(?![谐平]))"
)
_LEADING = re.compile(r"^(再加上?|再把)")  # conjunctions that open a piece are cut off above
_HEADER = re.compile(r"^([^：:]{1,30})[：:](.*)$")
_PLANT = r"(?:厂|工厂|企业|公司|集团)"
_ASKER = re.compile(r"^(我们|我司|本公司|我公司|公司|本厂|我厂|我们公司)(是|为|系|属于|位于)")
_PLANT_ONLY = re.compile(rf"{_PLANT}$")
_WISH = re.compile(r"^(想|要|需要|希望|准备|打算|计划|找|求)")
_SUBJECT = re.compile(
    rf"^(.{{1,16}}?(?:{_PLANT}|车间))(?:既|又|也|还)?(?:想要|想|需要|要|希望|准备|打算|计划)(.*)$"
)
# Statements no resource answers: budget, schedule, headcount, floor area, batch sizes, and how
# the asker wants to proceed. Anchored so that an ask mentioning a number or a year stays
# ("今年想上MES", "400人的工厂上MES", "检测是否漏装").
_NO_ASK = re.compile(
    r"预算"
    r"|^(年底|年内|明年|今年|下半年|上半年|月底|下个?月|\d+月).*(上线|投产|完成|交付|落地|启动)$"
    r"|^(员工|工人|全厂)?(约|近)?\d+(人|名)$|^(约|近)?[\d.]+万?(平方米|亩)$"
    r"|^(第一批|首批).*\d+(个|件|台|套)$"
    r"|服务商|分几个|推进$|[一二两三四五六七八九十几\d]+(件事|样|块短板)"
)
_TOGETHER = re.compile(r"一起|同步|分别")  # "…一起做" alone asks for nothing; inside a list it may
_TIME_ONLY = re.compile(r"^.{0,4}(前|后|时|之前|之后)$")
SHORT_WORD = 4  # characters: a conjunction after a word this short joins nouns, not asks


@dataclass(frozen=True, slots=True)
class Aspect:
    """One ask of a need and the number of the clause it came from."""

    text: str
    clause: int


@dataclass(frozen=True, slots=True)
class NeedAspects:
    """A need read for a bundle: the context (plant, header) and the asks in order."""

    context: tuple[str, ...]
    aspects: tuple[Aspect, ...]

    def texts(self) -> list[str]:
        """The aspects' texts."""
        return [a.text for a in self.aspects]


def split_need(need: str, *, keep: Callable[[str], bool] = bool) -> NeedAspects:
    """Context and aspects of a need (pieces `keep` rejects are dropped, repeats kept once)."""
    context: list[str] = []
    aspects: dict[str, Aspect] = {}
    for number, raw in enumerate(_CLAUSES.split(need)):
        clause = _context_off(raw.strip(), context)
        if not clause:
            continue
        items = _items(clause)
        if len(items) == 1 and _TOGETHER.search(clause):
            continue
        for item in items:
            if not _NO_ASK.search(item) and keep(item):
                aspects.setdefault(item, Aspect(item, number))
    return NeedAspects(tuple(dict.fromkeys(context)), tuple(aspects.values()))


def split_aspects(need: str, *, keep: Callable[[str], bool] = bool) -> list[str]:
    """The aspects of a need in order, without context, statements and pieces `keep` rejects."""
    return split_need(need, keep=keep).texts()


def aspect_text(context: Sequence[str], aspect: str) -> str:
    """What the dense model reads for an aspect: the need's context, a colon, the aspect."""
    return f"{'，'.join(context)}：{aspect}" if context else aspect


def join_with_neighbour(aspects: Sequence[Aspect], index: int) -> tuple[int, Aspect] | None:
    """The aspect at `index` joined to the next one of its clause (else the previous one):
    (position of the joined aspect, joined aspect); None when it stands alone in its clause."""
    here = aspects[index]
    for other in (index + 1, index - 1):
        if 0 <= other < len(aspects) and aspects[other].clause == here.clause:
            first, second = sorted((index, other))
            text = f"{aspects[first].text}、{aspects[second].text}"
            return first, Aspect(text, here.clause)
    return None


def _context_off(clause: str, context: list[str]) -> str:
    """The clause without its header and opening plant (both appended to `context`)."""
    header = _HEADER.match(clause)
    if header:
        head = header.group(1).strip()
        subject = _SUBJECT.match(head)
        context.append(subject.group(1) if subject else head)
        clause = header.group(2).strip()
    subject = _SUBJECT.match(clause)
    if subject:
        context.append(subject.group(1))
        clause = subject.group(2).strip()
    if _ASKER.match(clause) or (_PLANT_ONLY.search(clause) and not _WISH.match(clause)):
        context.append(clause)
        return ""
    return clause


def _items(clause: str) -> list[str]:
    """A clause cut at conjunctions (a short first noun stays with the next) and at 、."""
    pieces = _CONJUNCTIONS.split(clause)
    joined: list[str] = []
    separator = ""
    for position, piece in enumerate(pieces):
        if position % 2:  # a captured conjunction
            separator = piece
            continue
        text = _LEADING.sub("", piece.strip()).strip()
        if not text or _TIME_ONLY.match(text):
            continue
        if joined and separator and len(joined[-1]) <= SHORT_WORD and "、" not in joined[-1]:
            joined[-1] = f"{joined[-1]}{separator}{text}"
        else:
            joined.append(text)
    return [i for j in joined for i in (_LEADING.sub("", p.strip()) for p in j.split("、")) if i]
