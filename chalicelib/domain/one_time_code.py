"""One-time codes sent by SMS: the phone check before submission and the contract signature.

A code is stored only as a keyed hash, lives a few minutes, and may be guessed at most ``max_attempts`` times:
every guess is counted by one atomic increment in the database *before* it is compared, so guesses sent in
parallel each count (a read-compare-save would let racing guesses through uncounted). Sending is limited too: a
cooldown between codes and a daily cap per purpose, so the SMS gateway cannot be used to flood a phone or to
refill the guesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

PHONE_VERIFICATION = "PHONE_VERIFICATION"
CONTRACT_SIGNING = "CONTRACT_SIGNING"
PURPOSES = (PHONE_VERIFICATION, CONTRACT_SIGNING)


@dataclass(frozen=True)
class OtpPolicy:
    ttl: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    resend_cooldown: timedelta = timedelta(seconds=60)
    daily_cap: int = 10  # codes per application and purpose per Beijing day


@dataclass(frozen=True)
class OneTimeCode:
    application_id: str
    purpose: str
    code_hash: str
    sent_at: datetime
    expires_at: datetime
    sent_day: date  # the Beijing business date it was sent on
    sent_that_day: int  # codes of this purpose sent on sent_day, this one included
    attempts: int = 0

    def resend_allowed_at(self, policy: OtpPolicy) -> datetime:
        return self.sent_at + policy.resend_cooldown

    def sent_today(self, today: date) -> int:
        return self.sent_that_day if self.sent_day == today else 0

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def attempts_left(self, policy: OtpPolicy) -> int:
        return max(0, policy.max_attempts - self.attempts)
