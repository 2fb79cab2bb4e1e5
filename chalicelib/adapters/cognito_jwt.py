"""Verifies Cognito access tokens: RS256 signature against the user pool's JWKS, issuer, client id, token use and
expiry. The same code runs in AWS and locally (against moto's user pool and JWKS), so local tokens prove as much
as real ones. The JWKS is fetched once per container and again only for an unknown key id (key rotation).

PyJWT (with the cryptography it loads) and urllib.request are imported on the first verification, not with the
module: app.py is every function's module, and only the authorizer verifies tokens (~55 ms of a cold start the
API function and the workflow steps would otherwise pay for nothing)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.errors import LendingError


class TokenRejectedError(LendingError):
    """The bearer token is missing, forged, expired or from another pool/client. API Gateway answers 401."""

    code = "UNAUTHORIZED"


@dataclass(frozen=True)
class Principal:
    subject: str  # Cognito sub: the customer id
    username: str
    groups: tuple[str, ...]
    mfa: bool = False  # the sign-in completed MFA (the token's amr claim lists "mfa")


class CognitoJwtVerifier:
    """Keys are cached for ``cache_seconds`` and then fetched again, so a key the pool removed (rotated out,
    compromised) stops being accepted within that time. A token naming an unknown key makes the verifier fetch
    the JWKS again - at most once per ``refetch_seconds``, so a flood of forged ``kid``s cannot turn every request
    into a call to the pool."""

    def __init__(self, jwks_url: str, issuer: str, client_id: str, leeway_seconds: int = 5,
                 cache_seconds: float = 300, refetch_seconds: float = 60,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._jwks_url = jwks_url
        self._issuer = issuer
        self._client_id = client_id
        self._leeway = leeway_seconds
        self._cache_seconds, self._refetch_seconds, self._monotonic = cache_seconds, refetch_seconds, monotonic
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def _fetch_keys(self) -> None:
        import urllib.request

        import jwt

        if not self._jwks_url.startswith(("https://", "http://localhost", "http://127.0.0.1")):
            raise TokenRejectedError("JWKS must be fetched over https")
        self._fetched_at = self._monotonic()  # also when the fetch fails: no retry storm against the pool
        with urllib.request.urlopen(self._jwks_url, timeout=3) as response:  # noqa: S310 (scheme checked above)
            document = json.load(response)
        self._keys = {k["kid"]: jwt.PyJWK(k).key for k in document["keys"]}

    def _key_for(self, kid: str) -> Any:
        with self._lock:
            age = None if self._fetched_at is None else self._monotonic() - self._fetched_at
            if age is None or age >= self._cache_seconds or (kid not in self._keys and age >= self._refetch_seconds):
                self._fetch_keys()
            if kid not in self._keys:
                raise TokenRejectedError("unknown signing key")
            return self._keys[kid]

    def verify(self, token: str) -> Principal:
        import jwt

        if not token:
            raise TokenRejectedError("missing bearer token")
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                raise TokenRejectedError("unexpected token algorithm")
            claims = jwt.decode(token, self._key_for(str(header.get("kid", ""))), algorithms=["RS256"],
                                issuer=self._issuer, leeway=self._leeway,
                                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False})
        except jwt.PyJWTError as err:
            raise TokenRejectedError(f"invalid token: {type(err).__name__}") from err
        if claims.get("token_use") != "access":
            raise TokenRejectedError("an access token is required")
        if claims.get("client_id") != self._client_id:
            raise TokenRejectedError("token issued to another client")
        return Principal(subject=str(claims["sub"]), username=str(claims.get("username", claims["sub"])),
                         groups=tuple(claims.get("cognito:groups", [])), mfa="mfa" in (claims.get("amr") or []))
