"""A session that still stands: asked of the user pool before anything moves money, signs, or records an officer's
decision. The token's signature (checked by the authorizer) cannot tell that its user signed out or was disabled
after it was issued; tokens live minutes, and these acts do not wait for them to run out."""

from __future__ import annotations

from ..domain.errors import SessionRevokedError
from ..ports import SessionCheck


def require_live_session(sessions: SessionCheck, access_token: str) -> None:
    if not sessions.still_valid(access_token):
        raise SessionRevokedError("this session has ended: sign in again")
