"""Request bodies and uploaded files: size limits enforced while the body streams in, the
optional client checksum, and JSON carried in a multipart field."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from typing import TypeVar

from fastapi import UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ErrorBody, ErrorItem, ServiceError
from registry.inputs import UploadedFile

M = TypeVar("M", bound=BaseModel)
_MULTIPART_OVERHEAD = 256 * 1024  # form fields and part headers around one file


class _TooLarge(HTTPException):
    """Raised while the body streams in: FastAPI passes HTTPExceptions from `receive` on to
    the error handlers, so the caller gets the one error body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求体超过上限（{limit // 1024} KB）")


class BodySizeLimitMiddleware:
    """413 for a body over the limit: multipart bodies may carry one file of the upload size,
    others are small. Declared lengths are refused before reading; streamed ones as they go.

    Not FastAPI's own `max_body_size`: that one answers a declared oversize body in plain text,
    outside the one error body of the service.
    """

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int, max_other_bytes: int) -> None:
        self.app = app
        self.max_multipart = max_upload_bytes + _MULTIPART_OVERHEAD
        self.max_other = max_other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        multipart = headers.get("content-type", "").lower().startswith("multipart/")
        limit = self.max_multipart if multipart else self.max_other
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    body = ErrorBody(
        detail=[
            ErrorItem(
                type="request_too_large",
                msg=f"请求体超过上限（{limit // 1024} KB）",
                ctx={"limit_bytes": limit},
            )
        ]
    )
    payload = json.dumps(body.model_dump(exclude_none=True), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def read_upload(
    upload: UploadFile, *, max_bytes: int, expected_sha256: str | None, field: str
) -> UploadedFile:
    """The uploaded file's bytes, refused when too large or when its checksum disagrees."""
    content = upload.file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ServiceError(
            413,
            "file_too_large",
            f"文件超过上限 {max_bytes / 1024 / 1024:g} MB",
            field=field,
            limit_bytes=max_bytes,
        )
    actual = hashlib.sha256(content).hexdigest()
    if expected_sha256 and actual != expected_sha256.strip().lower():
        raise ServiceError(
            422,
            "checksum_mismatch",
            "文件 SHA-256 校验值与声明不符：上传过程中文件可能损坏，请重新上传",
            field=field,
            expected=expected_sha256,
            actual=actual,
        )
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
    return UploadedFile(
        filename=name,
        content=content,
        content_type=upload.content_type or "application/octet-stream",
    )


def parse_json_field(model: type[M], raw: str, *, field: str) -> M:
    """A model from JSON sent in a multipart form field; errors point into that field."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [
            {**err, "loc": ("body", field, *err["loc"])}
            for err in exc.errors(include_url=False, include_context=False)
        ]
        raise RequestValidationError(errors) from None
