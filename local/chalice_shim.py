"""Makes chalice's local server answer as API Gateway with the project's gateway responses (infra/resources.json)
does, DEV ONLY:

- an authorizer's ``Exception("Unauthorized")`` is a 401 in the error format (chalice local would answer 500);
- an unknown route is a 404 in the error format (chalice local answers 403 and echoes the caller's Authorization
  header, as API Gateway's default does - the template's MissingAuthenticationTokenResponse replaces that there);
- what the HTTP server itself refuses (a header too large, a malformed request line) is in the error format too,
  never an HTML page;
- the listen backlog takes a burst: ``http.server`` listens with a backlog of 5, and 100 simultaneous requests
  got 40-56 connection resets; developers test retries against this server, so it queues 1,024."""

from __future__ import annotations

import json
from typing import Any

from chalice import local as chalice_local

from chalicelib.api.auth import Unauthorized


def gateway_body(response_type: str) -> bytes:
    """The body the deploy template gives API Gateway's own answer of this type: one source for AWS and here."""
    from local.cfn import load_template

    for resource in load_template()["Resources"].values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::ApiGateway::GatewayResponse" and props.get("ResponseType") == response_type:
            return str(props["ResponseTemplates"]["application/json"]).encode()
    raise KeyError(response_type)


_BODY_401 = gateway_body("UNAUTHORIZED")
_BODY_403 = gateway_body("ACCESS_DENIED")
_original = chalice_local.LocalGatewayAuthorizer.authorize


def _authorize(self: Any, raw_path: str, lambda_event: Any, lambda_context: Any) -> Any:
    headers = {"x-amzn-RequestId": lambda_context.aws_request_id, "x-amzn-ErrorType": "UnauthorizedException",
               "Content-Type": "application/json"}
    try:
        return _original(self, raw_path, lambda_event, lambda_context)
    except Unauthorized:
        raise chalice_local.NotAuthorizedError(headers, _BODY_401) from None
    except chalice_local.NotAuthorizedError:  # no Authorization header at all
        raise chalice_local.NotAuthorizedError(headers, _BODY_401) from None
    except chalice_local.ForbiddenError:
        raise chalice_local.ForbiddenError(headers, _BODY_403) from None


class RouteNotFoundError(chalice_local.LocalGatewayException):
    CODE = 404


_BODY_404 = gateway_body("MISSING_AUTHENTICATION_TOKEN")
_NO_ROUTE = (b'{"message": "Missing Authentication Token"}', b'{"message": "Authorization header requires')
_original_request = chalice_local.LocalGateway.handle_request


def _handle_request(self: Any, method: str, path: str, headers: Any, body: Any) -> Any:
    try:
        return _original_request(self, method, path, headers, body)
    except chalice_local.ForbiddenError as err:
        if bytes(err.body or b"").startswith(_NO_ROUTE):  # no route matched (the authorizer's 403 is _BODY_403)
            raise RouteNotFoundError({"Content-Type": "application/json"}, _BODY_404) from None
        raise


_SERVER_CODES = {400: "BAD_REQUEST", 408: "REQUEST_TIMEOUT", 413: "PAYLOAD_TOO_LARGE", 414: "URI_TOO_LONG",
                 431: "HEADERS_TOO_LARGE", 501: "NOT_IMPLEMENTED", 505: "HTTP_VERSION_NOT_SUPPORTED"}


def _send_error(self: Any, code: int, message: str | None = None, explain: str | None = None) -> None:
    """http.server's own refusals (before any route is looked at), in the API's error format."""
    from chalicelib.api.error_texts import zh_message

    error_code = _SERVER_CODES.get(code, "BAD_REQUEST" if code < 500 else "INTERNAL_ERROR")
    body = json.dumps({"error": {"code": error_code, "message": message or "the request was refused",
                                 "message_zh": zh_message(error_code, code), "details": {}}},
                      ensure_ascii=False).encode()
    self.log_error("code %d, message %s", code, message)
    self.send_response(code, message)
    self.send_header("Content-Type", "application/json")
    self.send_header("Connection", "close")
    self.send_header("Content-Length", str(len(body)))
    self.end_headers()
    if self.command != "HEAD" and code >= 200 and code not in (204, 304):
        self.wfile.write(body)


def install() -> None:
    chalice_local.LocalGatewayAuthorizer.authorize = _authorize  # type: ignore[method-assign]
    chalice_local.LocalGateway.handle_request = _handle_request  # type: ignore[method-assign]
    chalice_local.ChaliceRequestHandler.send_error = _send_error  # type: ignore[method-assign]
    chalice_local.ThreadedHTTPServer.request_queue_size = 1024
