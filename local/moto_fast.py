"""Dev only: takes three costs of moto off the local stack, answers unchanged.

1. Routing. moto finds the backend for each request by listing its own package directory and trying hundreds of
   URL patterns, under one lock shared by every request thread. The answer depends only on the host name, so
   it is kept per host.
2. DynamoDB's answers. moto encodes each answer by walking the operation's output shape, attribute value by
   attribute value; for the item operations the answer is already DynamoDB's wire JSON (values typed as
   ``{"S": ...}``), so it is written as JSON directly: binary values base64, absent members left out, as the
   shape-driven encoder does. Anything else (errors, table descriptions with timestamps) takes moto's own path.
   ``tests/integration/test_local_stack.py`` compares the two encodings on every attribute type.
3. Workflows. moto parses a state machine's definition (ANTLR, pure Python) again for every execution, and for
   every item of a distributed map. The parsed program holds the definition only (each run's state lives in its
   own environment), so it is parsed once per definition.
"""

from __future__ import annotations

import base64
import functools
import json
from typing import Any

ITEM_OPERATIONS = frozenset({"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
                             "BatchWriteItem", "TransactGetItems", "TransactWriteItems"})


def _wire(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(type(value).__name__)


def _present(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_present(v) for v in value]
    return value


def dynamodb_json(result: Any) -> str:
    return json.dumps(_present(result), default=_wire, separators=(",", ":"))


def _fast_dynamodb_result(original: Any) -> Any:
    @functools.wraps(original)
    def execute_result(self: Any, context: Any) -> Any:
        if context.operation_model.name not in ITEM_OPERATIONS or isinstance(self.result, Exception):
            return original(self, context)
        try:
            body = dynamodb_json(self.result)
        except (TypeError, ValueError):  # something the wire format does not know: moto's own encoder decides
            return original(self, context)
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, body

    execute_result._fast = True  # type: ignore[attr-defined]
    return execute_result


def _routing_by_host(original: Any) -> Any:
    found: dict[str | None, Any] = {}

    @functools.wraps(original)
    def get_backend_for_host(self: Any, host: str | None) -> Any:
        if host not in found:
            found[host] = original(self, host)
        return found[host]

    get_backend_for_host._fast = True  # type: ignore[attr-defined]
    return get_backend_for_host


def _parsed_once(original: Any) -> Any:
    parsed: dict[str, Any] = {}

    @functools.wraps(original)
    def parse(definition: str) -> Any:
        if definition not in parsed:
            parsed[definition] = original(definition)
        return parsed[definition]

    parse._fast = True  # type: ignore[attr-defined]
    return staticmethod(parse)


def install() -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    if not getattr(AmazonStateLanguageParser.parse, "_fast", False):
        AmazonStateLanguageParser.parse = _parsed_once(AmazonStateLanguageParser.parse)  # type: ignore[method-assign]
    from moto.dynamodb.responses import DynamoResult
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    if not getattr(DynamoResult.execute_result, "_fast", False):
        DynamoResult.execute_result = _fast_dynamodb_result(DynamoResult.execute_result)  # type: ignore[method-assign]
    if not getattr(DomainDispatcherApplication.get_backend_for_host, "_fast", False):
        DomainDispatcherApplication.get_backend_for_host = _routing_by_host(  # type: ignore[method-assign]
            DomainDispatcherApplication.get_backend_for_host)
