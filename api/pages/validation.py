"""Reading HTML forms into the API's input schemas, with pydantic's errors said in Chinese and
tied to the form field they concern."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel
from pydantic_core import ErrorDetails

M = TypeVar("M", bound=BaseModel)

# pydantic's error types, said for people; `{x}` is filled from the error's context.
MESSAGES = {
    "missing": "此项为必填",
    "string_type": "请填写文字",
    "string_too_short": "此项不能为空",
    "string_too_long": "内容过长（最多 {max_length} 个字符）",
    "too_short": "至少需要选择或填写 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "请填写整数",
    "float_parsing": "请填写数字",
    "date_from_datetime_parsing": "请按 年-月-日 填写日期",
    "date_parsing": "请按 年-月-日 填写日期",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "enum": "请从给定选项中选择",
    "literal_error": "请从给定选项中选择",
    "bool_parsing": "请选择是或否",
    "extra_forbidden": "不接受此项",
}


def message_of(error: ErrorDetails) -> str:
    """One pydantic error in Chinese (its English text as a last resort)."""
    template = MESSAGES.get(error["type"])
    if template is None:
        return str(error.get("msg", "输入不合法"))
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template.split("（")[0]


async def form_data(request: Request, *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """The posted form as a dict: empty fields dropped, `lists` fields as lists of values."""
    form = await request.form()
    many = set(lists)
    data: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        values = [v.strip() for v in form.getlist(key) if isinstance(v, str) and v.strip()]
        if key in many:
            data[key] = values
        elif values:
            data[key] = values[0]
    return data


def lines(value: str | None) -> list[str]:
    """A textarea of one item per line (or separated by 、，,) as a list."""
    if not value:
        return []
    for separator in ("、", "，", ","):
        value = value.replace(separator, "\n")
    return [item.strip() for item in value.splitlines() if item.strip()]


def parse(model: type[M], data: Mapping[str, Any]) -> M:
    """Validate form data with an input schema (raises pydantic's ValidationError); a field
    left empty (None) is missing, so it is reported as required rather than mistyped."""
    return model.model_validate({k: v for k, v in data.items() if v is not None})
