"""The annual catalog (Art.20(1)) 《广东省制造业赋能资源目录（YYYY年）》 as rows: the same rows,
numbers and columns as the published xlsx (`funeng catalog export`)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.schemas.common import ReadSchema
from api.schemas.library import IndustryRead
from registry.catalog import Catalog, CatalogRow


class CatalogRowRead(ReadSchema):
    """One resource as the catalog lists it."""

    sheet: str = Field(description="所在分表（第五条赋能方向）")
    number: int = Field(description="分表内序号，与发布的 xlsx 一致")
    resource_code: str
    title: str
    provider: str
    city: str
    form: str
    directions: list[str]
    industries: list[IndustryRead]
    summary: str = Field(description="技术简介（节选）")
    contact: str | None = Field(description="申报单位同意公开的联系方式")
    listed_on: date = Field(description="入库时间")
    priority: bool = Field(description="优先推广（第十九条第（四）项）")
    remarks: str
    detail_url: str

    @classmethod
    def of(cls, row: CatalogRow) -> CatalogRowRead:
        """The API's view of a catalog row."""
        return cls(
            sheet=row.sheet, number=row.number, resource_code=row.resource_code,
            title=row.title, provider=row.provider, city=row.city, form=row.form,
            directions=list(row.directions),
            industries=[IndustryRead.of(code) for code in row.industries], summary=row.summary,
            contact=row.contact, listed_on=row.listed_on, priority=row.priority,
            remarks=row.remarks, detail_url=f"/library/{row.resource_code}",
        )  # fmt: skip


class DirectionCountRead(ReadSchema):
    """How many resources a direction's sheet lists (whole catalog, and after the filters)."""

    direction: str
    total: int
    shown: int


class CatalogRead(ReadSchema):
    """The catalog of a year as of a day, filtered as asked."""

    title: str = Field(examples=["广东省制造业赋能资源目录（2026年）"])
    year: int
    as_of: date
    total: int = Field(description="目录收录的资源总数（不受筛选影响）")
    shown: int = Field(description="符合筛选条件的资源数")
    directions: list[DirectionCountRead]
    rows: list[CatalogRowRead]
    xlsx_url: str

    @classmethod
    def of(cls, catalog: Catalog, rows: list[CatalogRow]) -> CatalogRead:
        """The catalog with the rows the filters kept."""
        counts = catalog.counts()
        return cls(
            title=catalog.title, year=catalog.year, as_of=catalog.as_of, total=len(catalog.rows),
            shown=len(rows),
            directions=[
                DirectionCountRead(direction=d, total=n, shown=sum(r.sheet == d for r in rows))
                for d, n in counts.items()
            ],
            rows=[CatalogRowRead.of(r) for r in rows],
            xlsx_url=f"/api/v1/catalog.xlsx?year={catalog.year}&as_of={catalog.as_of}",
        )  # fmt: skip
