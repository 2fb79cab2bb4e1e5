"""Makes chalice's local gateway answer an authorizer's ``Exception("Unauthorized")`` the way API Gateway does:
401 with the gateway response body configured in infra/resources.json (UnauthorizedResponse). Without it, chalice
local would surface the exception as a 500. DEV ONLY."""

from __future__ import annotations

import json
from typing import Any

from chalice import local as chalice_local

from chalicelib.api.auth import Unauthorized

_BODY_401 = json.dumps({"error": {"code": "UNAUTHORIZED", "message": "Unauthorized",
                                   "message_zh": "登录已失效，请重新登录。", "details": {}}}).encode()
_BODY_403 = json.dumps({"error": {"code": "FORBIDDEN", "message": "Forbidden",
                                   "message_zh": "您没有权限进行此操作。", "details": {}}}).encode()
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


def install() -> None:
    chalice_local.LocalGatewayAuthorizer.authorize = _authorize  # type: ignore[method-assign]
