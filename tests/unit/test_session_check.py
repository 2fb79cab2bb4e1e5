"""The revocation check's cache: a revocation is seen within a minute, a revoked token stays revoked, and a pool
that does not answer stops the request instead of letting it through."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters.cognito_sessions import CognitoSessionCheck
from chalicelib.domain.errors import SessionCheckUnavailableError


class Pool:
    def __init__(self) -> None:
        self.revoked: set[str] = set()
        self.calls = 0
        self.down = False

    def get_user(self, AccessToken: str) -> dict:
        self.calls += 1
        if self.down:
            raise ClientError({"Error": {"Code": "InternalErrorException", "Message": "x"}}, "GetUser")
        if AccessToken in self.revoked:
            raise ClientError({"Error": {"Code": "NotAuthorizedException", "Message": "Access Token has been revoked"}},
                              "GetUser")
        return {"Username": "u"}


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_signed_out_session_is_refused_within_a_minute_and_a_burst_costs_one_call() -> None:
    pool, clock = Pool(), Clock()
    check = CognitoSessionCheck(pool, cache_seconds=60, monotonic=clock)
    assert all(check.still_valid("token-a") for _ in range(20)) and pool.calls == 1
    pool.revoked.add("token-a")  # AdminUserGlobalSignOut or AdminDisableUser
    clock.t += 59
    assert check.still_valid("token-a")  # the answer of 59 seconds ago
    clock.t += 1
    assert not check.still_valid("token-a")
    pool.revoked.clear()
    clock.t += 3600
    assert not check.still_valid("token-a") and pool.calls == 2  # revoked stays revoked, never asked again


def test_a_pool_that_does_not_answer_stops_the_request() -> None:
    pool = Pool()
    pool.down = True
    with pytest.raises(SessionCheckUnavailableError):
        CognitoSessionCheck(pool).still_valid("token-b")
