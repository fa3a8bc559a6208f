"""The relevance dashboard: golden needs, the system's top results beside the judgments already
recorded, recording a judgment (0-3, with judge and time), and the latest evaluation report."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from registry.services.judgments import JudgmentView

logger = logging.getLogger("funeng.api")
QUERY_ID_PATTERN = r"^\S{1,64}$"
# The report's metrics in the order of its own table (any others follow).
METRICS = ("ndcg@5", "ndcg@10", "ndcg@20", "mrr@10", "recall@10", "recall@20", "recall@50",
           "map", "precision@5")  # fmt: skip
DOCUMENTS = ("report.html", "report.md", "results.json")
QueryId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=QUERY_ID_PATTERN)]


class GoldenNeedRead(ReadSchema):
    """A need of the golden set (`evaluation/golden/queries.jsonl`)."""

    query_id: str = Field(examples=["N001"])
    text: str
    tags: list[str]
    filters: dict[str, list[str]]
    judged: int = Field(description="已记录评判的资源数（全部评判人）")


class JudgmentCreate(InputSchema):
    """A grade for one need x resource, recorded as the caller's own judgment.

    A golden need is named by `query_id` (its text is the golden one); a need typed on the
    dashboard gives `query_text` and gets the id `adhoc-<hash>` unless it names one."""

    query_id: QueryId | None = None
    query_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    resource_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                    max_length=16)]  # fmt: skip
    grade: int = Field(ge=0, le=3, description="0 无关 / 1 仅主题相关 / 2 部分解决 / 3 完全满足")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class JudgmentRead(ReadSchema):
    """A recorded judgment."""

    query_id: str
    query_text: str
    resource_code: str
    grade: int
    judge: str
    judged_at: LocalDateTime
    note: str

    @classmethod
    def of(cls, view: JudgmentView) -> JudgmentRead:
        """The API's view of a stored judgment."""
        return cls.model_validate(view)


class ResultRead(ReadSchema):
    """One of the system's results with every judgment of it for this need."""

    rank: int
    resource_code: str
    title: str
    provider: str
    provider_city: str
    score: float
    confidence: float
    low_confidence: bool = Field(description="低于服务的置信度门槛：对用户不展示")
    flags: list[str]
    judgments: list[JudgmentRead]
    my_grade: int | None = Field(description="当前账号给出的评分")
    golden_grade: int | None = Field(description="黄金集 qrels.tsv 中的评分（已提交的评判）")
    detail_url: str


class ResultsRead(ReadSchema):
    """The system's top results for a need, judged or not."""

    query_id: str
    text: str
    golden: bool = Field(description="是否为黄金集中的需求")
    tags: list[str]
    filters: dict[str, list[str]]
    k: int
    config: str
    reason: str
    results: list[ResultRead]
    other_judgments: list[JudgmentRead] = Field(description="已评判但不在本次前 k 名中的资源")
    unjudged: int = Field(description="前 k 名中既无记录的评判、也无黄金集评分的结果数")


class MetricRowRead(ReadSchema):
    """One configuration's means in a report."""

    config: str
    needs: int | None
    values: dict[str, float | None]


class ReportFileRead(ReadSchema):
    """A file of the report folder, served by the dashboard."""

    name: str
    url: str


class ReportRead(ReadSchema):
    """The latest evaluation report (the newest folder under `var/reports/`)."""

    name: str
    golden: str | None
    split: str | None
    command: str | None
    metrics: list[str]
    rows: list[MetricRowRead]
    served_rows: list[MetricRowRead] = Field(description="去掉低置信度结果后（用户实际所见）")
    unjudged_top10: dict[str, list[int]] = Field(description="配置 → [前 10 中未评判数, 结果数]")
    plots: list[ReportFileRead]
    documents: list[ReportFileRead]

    @classmethod
    def of_folder(cls, folder: Path, *, url: str) -> ReportRead:
        """What a report folder holds: its `results.json` tables, plots and documents, with
        their addresses under `url`."""
        data = _results(folder / "results.json")
        configs: dict[str, Any] = data.get("configs") or {}
        seen = [m for c in configs.values() for m in (c.get("means") or {})]
        metrics = [m for m in METRICS if m in seen] + sorted(set(seen) - set(METRICS))

        def rows(key: str) -> list[MetricRowRead]:
            return [
                MetricRowRead(config=name, needs=c.get("answerable", c.get("needs")),
                              values={m: (c.get(key) or {}).get(m) for m in metrics})
                for name, c in configs.items() if c.get(key)
            ]  # fmt: skip

        plots = sorted((folder / "plots").glob("*.png"), key=lambda p: (p.stem != "metrics", p))
        holes = {
            name: [int(c["unjudged_top10"].get(key, 0)) for key in ("count", "slots")]
            for name, c in configs.items()
            if isinstance(c.get("unjudged_top10"), dict)
        }
        return cls(
            name=folder.name, golden=data.get("golden"), split=data.get("split"),
            command=data.get("command"), metrics=metrics, rows=rows("means"),
            served_rows=rows("served_means"), unjudged_top10=holes,
            plots=[ReportFileRead(name=p.stem, url=f"{url}plots/{p.name}") for p in plots],
            documents=[ReportFileRead(name=d, url=f"{url}{d}") for d in DOCUMENTS
                       if (folder / d).is_file()],
        )  # fmt: skip


def _results(path: Path) -> dict[str, Any]:
    """A report's results.json, or nothing when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("report results unreadable: %s", path)
        return {}
    return data if isinstance(data, dict) else {}
