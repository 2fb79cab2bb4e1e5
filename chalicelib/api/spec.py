"""OpenAPI 3.1 from the pydantic models and the routes actually registered with Chalice.

Each view declares its request and response models with ``@operation``; ``build_openapi(app)`` walks
``app.routes`` so that the document can never list a route that does not exist or miss one that does
(a test checks both, and that the committed chalicelib/api/openapi.json is current)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import models as m

STATIC_PREFIXES = ("/console", "/app", "/shared")  # the screens' files: not JSON API routes


def is_static(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in STATIC_PREFIXES)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    summary: str
    responses: dict[int, type[BaseModel]]
    request: type[BaseModel] | None = None
    tags: tuple[str, ...] = ("customer",)
    headers: tuple[str, ...] = ()
    errors: tuple[int, ...] = (400, 401, 404, 422)
    public: bool = False
    body_required: bool = True
    query: type[BaseModel] | None = None  # the query string's parameters (validated by the view with parse_query)
    extra: dict[str, Any] = field(default_factory=dict)


OPERATIONS: dict[str, Operation] = {}


def operation(summary: str, responses: dict[int, type[BaseModel]], request: type[BaseModel] | None = None,
              **kwargs: Any) -> Callable[[F], F]:
    def register(view: F) -> F:
        OPERATIONS[view.__name__] = Operation(summary, responses, request, **kwargs)
        return view

    return register


def build_openapi(app: Any) -> dict[str, Any]:
    # responses as they are sent (serialization: computed fields such as repayment_method_zh included), requests
    # as they are checked (validation): one schema per model unless a model is both
    responses: set[type[BaseModel]] = {m.ErrorResponse}
    requests: set[type[BaseModel]] = set()
    for op in OPERATIONS.values():
        responses.update(op.responses.values())
        if op.request:
            requests.add(op.request)
    ordered = sorted(responses | requests, key=lambda cls: cls.__name__)
    refs, defs = models_json_schema([(cls, "serialization") for cls in ordered if cls in responses] +
                                    [(cls, "validation") for cls in ordered if cls in requests],
                                    ref_template="#/components/schemas/{model}")

    def ref(cls: type[BaseModel], mode: str = "serialization") -> dict[str, Any]:
        return refs[(cls, mode)]  # type: ignore[index]

    paths: dict[str, Any] = {}
    for path, methods in sorted(app.routes.items()):
        if is_static(path):
            continue  # the console's static files, not the JSON API
        for method, entry in sorted(methods.items()):
            op = OPERATIONS[entry.view_function.__name__]
            if "dev" in op.tags:
                continue  # local-stage routes are not part of the published contract
            doc: dict[str, Any] = {"operationId": entry.view_function.__name__, "summary": op.summary,
                                   "tags": list(op.tags), "responses": {}}
            params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in entry.view_args]
            params += [{"name": h, "in": "header", "required": True, "schema": {"type": "string"}}
                       for h in op.headers]
            if op.query is not None:
                schema = op.query.model_json_schema(by_alias=True)
                params += [{"name": name, "in": "query", "required": name in schema.get("required", []),
                            **({"description": prop.pop("description")} if "description" in prop else {}),
                            "schema": prop} for name, prop in schema.get("properties", {}).items()]
            if params:
                doc["parameters"] = params
            if op.request is not None:
                doc["requestBody"] = {"required": op.body_required, "content": {
                    "application/json": {"schema": ref(op.request, "validation")}}}
            for status, model in sorted(op.responses.items()):
                doc["responses"][str(status)] = {"description": model.__doc__ or model.__name__, "content": {
                    "application/json": {"schema": ref(model)}}}
            # every body may be too large (413) or of the wrong type (415); every path parameter malformed (400)
            for status in sorted(set(op.errors + ((413, 415) if op.request else ())
                                     + ((400,) if "{" in path else ()) + (500,))):
                doc["responses"].setdefault(str(status), {"description": "error", "content": {
                    "application/json": {"schema": ref(m.ErrorResponse)}}})
            if not op.public:
                doc["security"] = [{"cognitoAccessToken": []}]
            paths.setdefault(path, {})[method.lower()] = doc
    return {
        "openapi": "3.1.0",
        "info": {"title": "小额普惠贷 lending API", "version": "1.0.0",
                 "description": "Loan origination and servicing for the mobile banking app. Amounts are integer "
                                "fen; rates are decimal strings; errors are {error: {code, message, details}}."},
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"cognitoAccessToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
