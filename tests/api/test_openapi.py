"""OpenAPI: every non-2xx response of every operation is documented with the one error body;
uploads document their size limit, downloads their file; the bearer token is declared."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

ERROR_REF = "#/components/schemas/ErrorBody"


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def test_every_error_response_is_the_error_body(spec: dict[str, Any]) -> None:
    found = operations(spec)
    assert len(found) > 50
    wrong = []
    for method, path, operation in found:
        errors = {code: r for code, r in operation["responses"].items() if not code.startswith("2")}
        assert {"401", "403", "404", "409", "422", "503"} <= set(errors), (method, path)
        for code, response in errors.items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") != ERROR_REF:
                wrong.append(f"{method} {path} {code}")
    assert wrong == []


def test_fastapis_own_validation_shape_is_nowhere(spec: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"detail"}


def test_uploads_document_the_size_limit(spec: dict[str, Any]) -> None:
    uploads = [
        (method, path)
        for method, path, operation in operations(spec)
        if "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
    ]
    assert uploads == [
        ("POST", "/api/v1/provider/registrations"),
        ("POST", "/api/v1/provider/evidence"),
    ]
    for method, path in uploads:
        assert "413" in spec["paths"][path][method.lower()]["responses"]


def test_downloads_document_the_file(spec: dict[str, Any]) -> None:
    downloads = [p for p in spec["paths"] if p.endswith("/file")]
    assert len(downloads) == 3
    for path in downloads:
        ok = spec["paths"][path]["get"]["responses"]["200"]
        assert "application/octet-stream" in ok["content"]


def test_the_bearer_token_is_declared_where_it_is_needed(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    secured = {path for _, path, op in operations(spec) if op.get("security")}
    assert "/api/v1/province/audit" in secured and "/api/v1/auth/me" in secured
    assert "/api/v1/library/resources" not in secured and "/health" not in secured
    register = spec["paths"]["/api/v1/provider/registrations"]["post"]["security"]
    assert {} in register  # anonymous applicants may register


def test_the_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()


def test_page_form_routes_stay_out_of_the_api_schema(spec: dict[str, Any]) -> None:
    assert "/login" not in spec["paths"] and "/logout" not in spec["paths"]
