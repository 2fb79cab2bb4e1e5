"""Back-office sign-in: an officer's credentials for a short-lived access token. Nothing about the attempt is
logged but its outcome (never the username's password, never the token)."""

from __future__ import annotations

from typing import Protocol

from ...observability import logger, metrics
from ...ports import OfficerSession, SignIn


class OfficerSessionPorts(Protocol):
    """The ports the officer session use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    sign_in: SignIn


def sign_in(deps: OfficerSessionPorts, username: str, password: str) -> OfficerSession:
    try:
        session = deps.sign_in.sign_in(username, password)
    except Exception:
        metrics.add_metric(name="ConsoleSignInRefused", unit="Count", value=1)
        logger.info("console sign-in refused")
        raise
    logger.info("console sign-in", extra={"officer": session.username})
    return session
