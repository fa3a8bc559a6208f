"""The demo accounts file and the shape rules of `users.yaml`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from registry.enums import ExpertCategory, Role
from registry.reference import GUANGDONG_CITIES
from registry.seed_schema import DemoUser, UsersFile

USERS = Path(__file__).resolve().parents[2] / "data" / "demo" / "users.yaml"


def test_demo_users_cover_every_role_city_and_expert_category() -> None:
    users = UsersFile.model_validate(yaml.safe_load(USERS.read_text(encoding="utf-8")))
    roles = Counter(u.role for u in users.users)
    assert roles[Role.PROVINCIAL_STAFF] >= 1
    assert {Role.ORGANISER, Role.RELEVANCE_STAFF, Role.ADMIN} <= set(roles)
    reviewers = [u.city or "" for u in users.users if u.role is Role.MUNICIPAL_REVIEWER]
    assert sorted(reviewers) == sorted(GUANGDONG_CITIES)  # exactly one per city
    experts = [u for u in users.users if u.role is Role.EXPERT]
    assert len(experts) >= 9
    per_category = Counter(u.category for u in experts)
    assert set(per_category) == set(ExpertCategory) and min(per_category.values()) >= 3
    assert all(u.affiliation for u in experts)
    assert "password" in USERS.read_text(encoding="utf-8").split("users:")[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "municipal_reviewer"},  # no city
        {"role": "municipal_reviewer", "city": "长沙市"},
        {"role": "expert", "category": "technical"},  # no affiliation
        {"role": "provincial_staff", "city": "广州市"},
        {"role": "provider"},  # made by the loader per organisation
    ],
)
def test_scope_must_match_role(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        DemoUser.model_validate({"username": "x", "display_name": "X", **fields})


def test_duplicate_usernames_refused() -> None:
    user = {"username": "a", "display_name": "A", "role": "admin"}
    with pytest.raises(ValidationError):
        UsersFile.model_validate({"password": "long-enough", "users": [user, user]})
