"""The need search (需求匹配): `POST /api/v1/match`, public. The need is encoded off the event
loop (`LiveIndex.match_async`, a bounded pool); the index is the app's live one, kept fresh
from the registry's outbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.index_runtime import IndexRuntime, index_runtime
from api.match_view import search
from api.routes import api_router
from api.schemas.match import MatchRequest, MatchResultRead

router = api_router("", "公开：需求匹配", secured=False)

RuntimeDep = Annotated[IndexRuntime, Depends(index_runtime)]


@router.post(
    "/match",
    name="match",
    summary="需求匹配：排序的赋能资源与匹配理由，或“暂无合适资源”",
)
async def match(body: MatchRequest, runtime: RuntimeDep) -> MatchResultRead:
    """Ranked resources for a need with highlighted terms, the evidence case and each
    retriever's rank; `no_suitable_resource` with a Chinese explanation when nothing fits."""
    return await search(runtime.require(), body)
