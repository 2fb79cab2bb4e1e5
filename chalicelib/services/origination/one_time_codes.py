"""Sending and checking one-time codes (see domain/one_time_code.py): the limits on sending, the atomic count
of guesses, the keyed hash. Used by the phone check and by the contract signature."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Protocol

from ...domain.errors import (
    OtpAttemptsExceededError,
    OtpDailyLimitError,
    OtpExpiredError,
    OtpInvalidError,
    OtpResendTooSoonError,
)
from ...domain.one_time_code import OneTimeCode, OtpPolicy
from ...ports import Clock, LendingRepository, Secrets
from ...settings import Settings


class OneTimeCodePorts(Protocol):
    """The ports the one time codes use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    clock: Clock
    repo: LendingRepository
    secrets: Secrets
    settings: Settings


def policy(deps: OneTimeCodePorts) -> OtpPolicy:
    s = deps.settings
    return OtpPolicy(ttl=timedelta(seconds=s.otp_ttl_seconds), max_attempts=s.otp_max_attempts,
                     resend_cooldown=timedelta(seconds=s.otp_resend_seconds), daily_cap=s.otp_daily_cap)


def _hash(deps: OneTimeCodePorts, application_id: str, purpose: str, code: str) -> str:
    key = deps.secrets.otp_key().encode()
    return hmac.new(key, f"{application_id}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def issue(deps: OneTimeCodePorts, application_id: str, purpose: str) -> tuple[str, OneTimeCode]:
    """A new code (the plain code is returned for the SMS only, never stored). 429 within the cooldown or past
    the daily cap; a parallel send loses the conditional write and is refused the same way."""
    rules, now, today = policy(deps), deps.clock.now(), deps.clock.today()
    previous = deps.repo.get_code(application_id, purpose)
    if previous is not None:
        if now < previous.resend_allowed_at(rules):
            raise OtpResendTooSoonError("a code was sent a moment ago: wait before asking for another", {
                "retry_after_seconds": int((previous.resend_allowed_at(rules) - now).total_seconds()) + 1})
        if previous.sent_today(today) >= rules.daily_cap:
            raise OtpDailyLimitError("too many codes today: try again tomorrow")
    plain = f"{secrets.randbelow(1_000_000):06d}"
    code = OneTimeCode(application_id=application_id, purpose=purpose,
                       code_hash=_hash(deps, application_id, purpose, plain), sent_at=now,
                       expires_at=now + rules.ttl, sent_day=today,
                       sent_that_day=(previous.sent_today(today) if previous else 0) + 1)
    if not deps.repo.put_code(code, previous):
        raise OtpResendTooSoonError("a code was sent a moment ago: wait before asking for another",
                                    {"retry_after_seconds": int(rules.resend_cooldown.total_seconds())})
    return plain, code


def check(deps: OneTimeCodePorts, application_id: str, purpose: str, guess: str) -> None:
    """Counts the guess first (one atomic increment), then compares: parallel guesses each count. The caller
    discards the code once what it guarded is done (a failure after a right guess may be retried with it)."""
    rules = policy(deps)
    counted = deps.repo.count_code_attempt(application_id, purpose, rules.max_attempts)
    if counted is None:
        if deps.repo.get_code(application_id, purpose) is None:
            raise OtpInvalidError("ask for a code first")
        raise OtpAttemptsExceededError("too many wrong codes: ask for a new one")
    if counted.expired(deps.clock.now()):
        raise OtpExpiredError("the code has expired: ask for a new one")
    if not hmac.compare_digest(counted.code_hash, _hash(deps, application_id, purpose, guess)):
        raise OtpInvalidError("wrong code", {"attempts_left": counted.attempts_left(rules)})
