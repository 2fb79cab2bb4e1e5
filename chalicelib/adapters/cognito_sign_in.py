"""Officers' sign-in against the Cognito user pool (AdminInitiateAuth with the username and password, made by
the API function's role), and the groups read from the access token it returns - verified like any token."""

from __future__ import annotations

from typing import Any

from ..domain.errors import SignInRefusedError
from ..ports import OfficerSession, SignIn


class CognitoSignIn(SignIn):
    def __init__(self, client: Any, pool_id: str, client_id: str, verify: Any) -> None:
        self._idp = client
        self._pool = pool_id
        self._client_id = client_id
        self._verify = verify  # the authorizer's verifier: the groups come from a token checked as every token is

    def sign_in(self, username: str, password: str) -> OfficerSession:
        try:
            answer = self._idp.admin_initiate_auth(
                UserPoolId=self._pool, ClientId=self._client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password})
        except (self._idp.exceptions.NotAuthorizedException, self._idp.exceptions.UserNotFoundException) as err:
            raise SignInRefusedError("the username or the password is wrong") from err
        result = answer.get("AuthenticationResult")
        if not result:  # a challenge (a new password, MFA set-up): done in the bank's identity portal, not here
            raise SignInRefusedError("this account must finish its set-up before signing in",
                                     {"challenge": answer.get("ChallengeName")})
        principal = self._verify(result["AccessToken"])
        return OfficerSession(principal.username, principal.groups, result["AccessToken"], int(result["ExpiresIn"]),
                              principal.subject)
