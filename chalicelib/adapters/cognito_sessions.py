"""The revocation check behind SessionCheck: Cognito's GetUser with the access token itself. The pool answers
NotAuthorizedException for a token whose user has since signed out everywhere (AdminUserGlobalSignOut,
GlobalSignOut) or been disabled; the signature check in the authorizer cannot see either.

Answers are kept for ``cache_seconds`` per token (by its hash, never the token): a revocation takes effect within
that time - a minute - and a customer's burst of requests costs the pool one call. A revoked token stays revoked."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..domain.errors import SessionCheckUnavailableError
from ..ports import SessionCheck


class CognitoSessionCheck(SessionCheck):
    def __init__(self, client: Any, cache_seconds: float = 60, size: int = 4096,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._idp, self._ttl, self._size, self._now = client, cache_seconds, size, monotonic
        self._answers: OrderedDict[str, tuple[float, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def still_valid(self, access_token: str) -> bool:
        key = hashlib.sha256(access_token.encode()).hexdigest()
        with self._lock:
            known = self._answers.get(key)
        if known is not None and (not known[1] or self._now() - known[0] < self._ttl):
            return known[1]
        valid = self._ask(access_token)
        with self._lock:
            self._answers[key] = (self._now(), valid)
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return valid

    def _ask(self, access_token: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._idp.get_user(AccessToken=access_token)
        except ClientError as err:
            if err.response["Error"]["Code"] in ("NotAuthorizedException", "UserNotFoundException"):
                return False
            raise SessionCheckUnavailableError("the user pool could not check the session") from err
        except BotoCoreError as err:
            raise SessionCheckUnavailableError("the user pool could not check the session") from err
        return True
