"""Back-office sign-in: an officer's credentials for a short-lived access token. Nothing about the attempt is
logged but its outcome (never the username's password, never the token)."""

from __future__ import annotations

from ...observability import logger, metrics
from ...ports import OfficerSession
from ..deps import Dependencies


def sign_in(deps: Dependencies, username: str, password: str) -> OfficerSession:
    try:
        session = deps.sign_in.sign_in(username, password)
    except Exception:
        metrics.add_metric(name="ConsoleSignInRefused", unit="Count", value=1)
        logger.info("console sign-in refused")
        raise
    logger.info("console sign-in", extra={"officer": session.username})
    return session
