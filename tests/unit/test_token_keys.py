"""The access-token verifier's key cache under attack: forged key ids cannot make every request fetch the JWKS,
and a key removed from the pool's JWKS stops being accepted within the cache lifetime."""

import json
import time
import urllib.request
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.adapters.cognito_jwt import CognitoJwtVerifier, TokenRejectedError

ISSUER, CLIENT = "https://cognito-idp.us-east-1.amazonaws.com/pool", "client-1"


class FakeJwks:
    """Stands in for the pool's JWKS endpoint (urllib.request.urlopen), counting fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.fetches = 0

    def add(self, kid: str) -> Any:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.keys[kid]

    def urlopen(self, url: str, timeout: float) -> Any:
        self.fetches += 1
        body = {"keys": [{**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key())), "kid": kid, "alg": "RS256",
                          "use": "sig"} for kid, k in self.keys.items()]}

        class Response:
            def __enter__(self) -> Any:
                import io

                return io.StringIO(json.dumps(body))

            def __exit__(self, *args: object) -> None:
                return None

        return Response()


def token(key: Any, kid: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": "alice", "iss": ISSUER, "token_use": "access", "client_id": CLIENT, "exp": now + 600,
            "iat": now, **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def jwks(monkeypatch: pytest.MonkeyPatch) -> FakeJwks:
    fake = FakeJwks()
    monkeypatch.setattr(urllib.request, "urlopen", fake.urlopen)  # imported by the verifier when it fetches
    return fake


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_forged_key_ids_refetch_the_jwks_at_most_once_a_minute(jwks: FakeJwks) -> None:
    clock = Clock()
    verifier = CognitoJwtVerifier("https://pool/jwks.json", ISSUER, CLIENT, monotonic=clock)
    good = jwks.add("k1")
    assert verifier.verify(token(good, "k1")).subject == "alice" and jwks.fetches == 1
    for n in range(50):  # an attacker cycling through invented key ids
        with pytest.raises(TokenRejectedError):
            verifier.verify(token(good, f"forged-{n}"))
        clock.t += 1
    assert jwks.fetches == 1  # 50 seconds of forged kids: not one more fetch
    clock.t += 11
    with pytest.raises(TokenRejectedError):
        verifier.verify(token(good, "forged-late"))
    assert jwks.fetches == 2


def test_a_new_signing_key_is_picked_up_and_a_removed_one_stops_working(jwks: FakeJwks) -> None:
    clock = Clock()
    verifier = CognitoJwtVerifier("https://pool/jwks.json", ISSUER, CLIENT, monotonic=clock)
    old = jwks.add("old")
    verifier.verify(token(old, "old"))
    clock.t += 61
    new = jwks.add("new")  # the pool rotates: a token with the new kid is accepted (one refetch)
    assert verifier.verify(token(new, "new")).subject == "alice"
    del jwks.keys["old"]  # the old key is withdrawn (say it leaked)
    verifier.verify(token(old, "old"))  # still cached...
    clock.t += 300  # ...but not beyond the cache lifetime
    with pytest.raises(TokenRejectedError):
        verifier.verify(token(old, "old"))


def test_the_mfa_claim_is_read_from_amr(jwks: FakeJwks) -> None:
    verifier = CognitoJwtVerifier("https://pool/jwks.json", ISSUER, CLIENT, monotonic=Clock())
    key = jwks.add("k1")
    assert verifier.verify(token(key, "k1", amr=["pwd", "mfa"])).mfa
    assert not verifier.verify(token(key, "k1", amr=["pwd"])).mfa
    assert not verifier.verify(token(key, "k1")).mfa
