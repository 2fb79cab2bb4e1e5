"""Fraud signals that bind one person to one customer account, and velocity.

- One identity, one customer: an ID number (by its keyed hash) belongs to the first customer account whose
  identity check passed with it. The same number under a second account is refused
  (ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER): a second account is how a stolen card or a second try after a decline
  would look.
- Velocity: one phone, one device or one ID number seen on more than ``max_applications`` applications within
  ``window`` refers the application to a risk officer (VELOCITY_PHONE, VELOCITY_DEVICE, VELOCITY_ID_NUMBER):
  application farms reuse them. A referral, not a decline: families share phones.
- Conflict of interest: an officer may not decide an application whose applicant is herself - the same login
  (``sub``) or the same ID number (her staff record's hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER = "ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER"
SIGHTING_KINDS = ("PHONE", "DEVICE", "ID_NUMBER")


@dataclass(frozen=True)
class VelocityPolicy:
    max_applications: int = 3
    window: timedelta = timedelta(days=30)


def velocity_reasons(seen: dict[str, int], policy: VelocityPolicy) -> tuple[str, ...]:
    """``seen``: applications per kind within the window, this one included."""
    return tuple(f"VELOCITY_{kind}" for kind in SIGHTING_KINDS if seen.get(kind, 0) > policy.max_applications)


def worse(verdict: str, other: str) -> str:
    order = {"PASS": 0, "REVIEW": 1, "RETRY": 1, "FAIL": 2}
    return max(verdict, other, key=lambda v: order.get(v, 2))
