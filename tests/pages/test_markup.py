"""Markup every page must get right: one `id` per element id (labels and ARIA references
point at one thing), every form control labelled, every posting form carrying its token."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from tests.pages.conftest import sign_in

PAGES = [
    (None, "/"),
    (None, "/?need=机器视觉缺陷检测&bundle=1"),
    (None, "/library"),
    (None, "/library/FX-001"),
    (None, "/login"),
    (None, "/register"),
    ("fx-mingshi", "/provider"),
    ("fx-mingshi", "/provider/resources/new"),
    ("fx-mingshi", "/provider/resources/1"),
    ("fx-mingshi", "/provider/resources/1/edit"),
    ("fx-kuajing", "/provider/applications/7"),
    ("dongguan-reviewer", "/review/city"),
    ("dongguan-reviewer", "/review/city/applications/8"),
    ("expert-ind-1", "/review/expert"),
    ("expert-ind-1", "/review/expert/applications/6"),
    ("province-staff", "/review/province"),
    ("province-staff", "/review/province/applications"),
    ("province-staff", "/review/province/applications/6"),
    ("province-staff", "/review/province/applications/5"),
    ("province-staff", "/review/province/audit"),
]
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


@pytest.mark.parametrize(("user", "path"), PAGES)
def test_page_markup(client: TestClient, user: str | None, path: str) -> None:
    if user:
        sign_in(client, user)
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    html = page.text
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == [], f"duplicate ids on {path}"
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    for _, attributes in CONTROL.findall(html):
        if re.search(r'type="(hidden|checkbox|radio|submit)"', attributes):
            continue  # hidden; checkboxes and radios sit inside their label
        found = re.search(r'\sid="([^"]+)"', attributes)
        assert found and found.group(1) in labelled, f"unlabelled control on {path}: {attributes}"
    for form in re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S):
        assert 'name="csrf_token"' in form, f"a form without its CSRF token on {path}"
