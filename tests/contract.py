"""Validates every API response the tests see against the committed OpenAPI document."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from chalicelib.api.meta import OPENAPI_FILE


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in document()["paths"]]


def validate_response(method: str, path: str, status: int, body: Any) -> None:
    path = path.split("?", 1)[0]
    template = next((t for pattern, t in _path_patterns() if pattern.match(path)), None)
    if template is None:
        return  # dev-only routes are not part of the published contract
    operation = document()["paths"][template].get(method.lower())
    if operation is None:
        assert status == 405, f"{method} {template} is not in the OpenAPI document but answered {status}"
        response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    else:
        response = operation["responses"].get(str(status))
    assert response is not None, f"{method} {template} answered {status}, which the OpenAPI document does not list"
    schema = {**response["content"]["application/json"]["schema"], "components": document()["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, f"{method} {template} {status}: {errors[0].message}"
