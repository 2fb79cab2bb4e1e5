"""Who is signed in: officers' sign-in and the revocation check of tokens."""

from __future__ import annotations

import abc
from dataclasses import dataclass


@dataclass(frozen=True)
class OfficerSession:
    username: str
    groups: tuple[str, ...]
    access_token: str
    expires_in: int  # seconds
    officer_id: str = ""  # the pool's subject: how the audit trail names the officer

class SignIn(abc.ABC):
    """The bank's user pool, for the back-office console's sign-in (the mobile app signs in by itself)."""

    @abc.abstractmethod
    def sign_in(self, username: str, password: str) -> OfficerSession:
        """Raises SignInRefusedError for a wrong username or password."""

class SessionCheck(abc.ABC):
    """Whether the user pool still stands behind an access token. A token's signature says who it was issued to and
    until when; only the pool knows that its user has since signed out everywhere or been disabled."""

    @abc.abstractmethod
    def still_valid(self, access_token: str) -> bool:
        """False when the token's user signed out (globally) or was disabled after it was issued. Raises
        SessionCheckUnavailableError when the pool does not answer (the caller refuses: it fails closed)."""
