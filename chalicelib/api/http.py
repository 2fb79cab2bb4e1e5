"""Request parsing, response writing and the one error format of the API:
``{"error": {"code", "message", "details"}}``. Domain errors carry their own HTTP status; a pydantic
validation failure is a 422 listing the fields (never echoing their values); anything unexpected is a 500 whose
body says nothing and whose log line names the exception type and the request id."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Blueprint, Response
from chalice.app import Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .. import bootstrap
from ..domain.errors import ForbiddenError, LendingError, MfaRequiredError
from ..observability import logger
from ..services.sessions import require_live_session
from .error_status import STATUS, http_status
from .error_texts import zh_message

M = TypeVar("M", bound=BaseModel)

# No routes: registered with the app (app.py) so that every route module reads the request being handled in one way.
handling = Blueprint(__name__)


def current_request() -> Request:
    return handling.current_request
JSON_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff"}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "message_zh": zh_message(code, status),
                      "details": details or {}}}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status,
                    headers={**JSON_HEADERS, **(headers or {})})


def ok(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=model.model_dump_json(by_alias=True), status_code=status,  # "from" is a keyword in Python
                    headers={**JSON_HEADERS, **(headers or {})})


class BadRequestError(LendingError):
    code = "BAD_REQUEST"


class PayloadTooLargeError(LendingError):
    code = "PAYLOAD_TOO_LARGE"


# Every request body of this API is a small, flat-ish object: far below these.
MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 8
MAX_PATH_PARAMETER = 80


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice is refused: another parser on the way (a gateway, a log pipeline) may keep the other."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("a key appears twice")
    return obj


def json_values(raw: bytes | str) -> Any:
    """The values of a JSON text, or BadRequestError - whatever the cause. Beside malformed text: bytes that are
    not UTF-8, an integer of more digits than Python converts (a ValueError, not a JSONDecodeError), NaN and
    Infinity (Python's extensions, not JSON), duplicate keys, lone surrogates (they fail later, when the value is
    written anywhere) and nesting deep enough to exhaust the parser's recursion."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_object)
    except RecursionError:  # thousands of nested brackets: refused, never a 500
        raise BadRequestError("the body is nested too deeply") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors too
        raise BadRequestError("the body is not valid JSON") from None
    if _has_surrogate(data):
        raise BadRequestError("the body is not valid JSON: a text holds a lone surrogate")
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _depth(value: Any) -> int:
    """Nesting depth, without recursion (the value may be as deep as the JSON parser allowed)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def path_parameter_problem(params: dict[str, str]) -> str | None:
    """Ids in paths are short printable ASCII; anything else is answered 400 before any look-up (a 2 KB id
    would otherwise reach DynamoDB's key-size limit as a server error)."""
    for name, value in params.items():
        if len(value) > MAX_PATH_PARAMETER or not value.isascii() or not value.isprintable():
            return name
    return None

def parse(request: Request, model: type[M], optional: bool = False) -> M:
    """The body validated by ``model``; an optional body may be absent (then the model's defaults apply)."""
    raw = request.raw_body
    if not raw and optional:
        return model.model_validate({})
    if not raw:
        raise BadRequestError("a JSON body is required")
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLargeError("the body is too large", {"max_bytes": MAX_BODY_BYTES})
    data = json_values(raw)
    if _depth(data) > MAX_JSON_DEPTH:
        raise BadRequestError("the body is nested too deeply", {"max_depth": MAX_JSON_DEPTH})
    try:
        return model.model_validate(data)
    except PydanticValidationError as err:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"], "type": e["type"]}
                  for e in err.errors(include_input=False, include_url=False)]
        raise _RequestInvalidError("the request is not valid", {"fields": fields}) from None


def parse_query(request: Request, model: type[M]) -> M:
    """The query string validated by ``model`` (unknown parameters refused, as in bodies)."""
    try:
        return model.model_validate(dict(request.query_params or {}))
    except PydanticValidationError as err:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"], "type": e["type"]}
                  for e in err.errors(include_input=False, include_url=False)]
        raise _RequestInvalidError("the query is not valid", {"fields": fields}) from None


class _RequestInvalidError(LendingError):
    code = "VALIDATION_ERROR"


STATUS.update({BadRequestError: 400, PayloadTooLargeError: 413, _RequestInvalidError: 422})  # the API's own


def handles_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except LendingError as err:
            status = http_status(err)
            if status >= 500:
                logger.warning("request failed", extra={"error": type(err).__name__})
            return error_response(status, err.code, err.message, err.details)
        except Exception as err:
            logger.exception("unhandled error", extra={"error": type(err).__name__})
            return error_response(500, "INTERNAL_ERROR", "something went wrong on our side; try again later")

    return wrapper


def live_session(view: Callable[..., Response]) -> Callable[..., Response]:
    """For the routes that move money, sign, or record an officer's decision: the user pool is asked whether the
    session still stands (services/sessions.py) before anything happens. Goes under ``handles_errors``."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:

        _, _, token = str(current_request().headers.get("authorization") or "").partition(" ")
        require_live_session(bootstrap.deps().sessions, token.strip())
        return view(*args, **kwargs)

    wrapper.live_session = True  # type: ignore[attr-defined]
    return wrapper


def customer_id(request: Request) -> str:
    context = request.context.get("authorizer") or {}
    subject = context.get("principalId")
    if not subject:
        raise ForbiddenError("no authenticated customer")
    return str(subject)


def groups(request: Request) -> set[str]:
    context = request.context.get("authorizer") or {}
    return {g for g in str(context.get("groups", "")).split(",") if g}


def require_group(request: Request, group: str, require_mfa: bool = False) -> str:
    if group not in groups(request):
        raise ForbiddenError("this route is for risk officers only")
    if require_mfa and (request.context.get("authorizer") or {}).get("mfa") != "true":
        raise MfaRequiredError("sign in with multi-factor authentication to use the back office")
    return customer_id(request)


def login(request: Request) -> str:
    """The mobile-banking login of the verified token (the user pool's username): whose bank record, if any."""
    context = request.context.get("authorizer") or {}
    name = context.get("username")
    if not name:
        raise ForbiddenError("no authenticated customer")
    return str(name)


def device_id(request: Request) -> str:
    """The app's installation id (X-Device-Id), optional; used only, as a keyed hash, for velocity checks."""
    value = str(request.headers.get("x-device-id") or "")
    if value and (len(value) > 64 or not value.isascii() or not value.isprintable()):
        raise _RequestInvalidError("X-Device-Id must be at most 64 printable ASCII characters",
                                   {"header": "X-Device-Id"})
    return value


def idempotency_key(request: Request) -> str:
    key = request.headers.get("idempotency-key")
    if not key:
        raise _RequestInvalidError("the Idempotency-Key header is required", {"header": "Idempotency-Key"})
    return str(key)
