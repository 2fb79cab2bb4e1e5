"""The custom authorizer: verifies the Cognito access token itself (signature against the pool's JWKS, issuer,
client id, token use, expiry), so it behaves the same under ``chalice local``, in tests and in API Gateway.

It allows every route for a valid token (API Gateway caches one policy per token across routes); which routes a
principal may use - the back office for the risk-officer group - is decided in the handlers.
An invalid token raises ``Exception("Unauthorized")``, which API Gateway turns into a 401; the local stack
maps the same exception to the same 401 (local/chalice_shim.py)."""

from __future__ import annotations

from functools import lru_cache

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from ..adapters.cognito_jwt import CognitoJwtVerifier, TokenRejectedError
from ..observability import logger
from ..settings import get_settings

auth = Blueprint(__name__)


class Unauthorized(Exception):
    def __init__(self) -> None:
        super().__init__("Unauthorized")


@lru_cache(maxsize=1)
def verifier() -> CognitoJwtVerifier:
    s = get_settings()
    return CognitoJwtVerifier(s.jwks_url, s.token_issuer, s.app_client_id)


@auth.authorizer(ttl_seconds=60)
def jwt_authorizer(request: AuthRequest) -> AuthResponse:
    header = request.token or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized()
    try:
        principal = verifier().verify(token.strip())
    except TokenRejectedError as err:
        logger.info("token rejected", extra={"reason": err.message})
        raise Unauthorized() from None
    return AuthResponse(routes=["*"], principal_id=principal.subject,
                        context={"username": principal.username, "groups": ",".join(principal.groups),
                                 "mfa": "true" if principal.mfa else "false"})
