"""moto's user pool issues every token for an hour; Cognito issues them for the app client's AccessTokenValidity
and IdTokenValidity (in the client's TokenValidityUnits). This makes the local pool do the same, so that a token's
short life (infra/resources.json: AccessTokenMinutes) is what developers and tests see. DEV ONLY."""

from __future__ import annotations

from typing import Any

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def install() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPool

    if getattr(CognitoIdpUserPool, "_local_token_validity", False):
        return
    create_jwt = CognitoIdpUserPool.create_jwt

    def with_client_validity(self: Any, client_id: str, username: str, token_use: str,
                             expires_in: int = 3600, extra_data: Any = None) -> Any:
        config = getattr(self.clients.get(client_id), "extended_config", {}) or {}
        field = {"access": "AccessToken", "id": "IdToken"}.get(token_use)
        if field and f"{field}Validity" in config:
            unit = (config.get("TokenValidityUnits") or {}).get(field, "hours")
            expires_in = int(config[f"{field}Validity"]) * _SECONDS.get(unit, 3600)
        return create_jwt(self, client_id, username, token_use, expires_in, extra_data)

    CognitoIdpUserPool.create_jwt = with_client_validity  # type: ignore[method-assign]
    CognitoIdpUserPool._local_token_validity = True  # type: ignore[attr-defined]
