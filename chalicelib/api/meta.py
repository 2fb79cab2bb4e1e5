"""The OpenAPI document: generated from the models and the routes registered, served as committed."""

from __future__ import annotations

import json
from pathlib import Path

from chalice import Blueprint, Response

from . import models as m
from .http import JSON_HEADERS, handles_errors
from .spec import build_openapi, operation

meta = Blueprint(__name__)
OPENAPI_FILE = Path(__file__).with_name("openapi.json")


@meta.route("/v1/openapi.json", methods=["GET"])
@operation("This API's OpenAPI 3.1 document", {200: m.OpenApiDocumentOut}, tags=("meta",), errors=(), public=True)
@handles_errors
def openapi_document() -> Response:
    return Response(body=OPENAPI_FILE.read_text(encoding="utf-8"), status_code=200,
                    headers={**JSON_HEADERS, "Cache-Control": "max-age=300"})


def openapi_json(app: object) -> str:
    return json.dumps(build_openapi(app), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
