"""What the bank already knows about someone who applies: the causes of the open early warnings on her lines, and
the records from outside the bank about her or her business (a court list, the registry, the tax authority),
found by the keyed hash of the ID number or of the registration number - never by the number itself.

Post-loan monitoring learns these after payout; origination must not forget them (a borrower whom a court
record had just frozen once got a new line and money, referred only for the velocity of her ID number). They are
policy inputs: a RED court record declines; anything else known refers the application to a risk officer, who
sees the evidence; and a line that is activated while a RED cause stands is frozen with a warning of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .early_warning import Cause, Level, Source

KNOWN_COURT_RECORD = "KNOWN_COURT_RECORD"  # declines: a RED record of a court stands against the applicant
KNOWN_RISK_ON_FILE = "KNOWN_RISK_ON_FILE"  # refers: a warning or record the officer must weigh
SANCTIONS_SCREENING_HIT = "SANCTIONS_SCREENING_HIT"  # held: on a sanctions or watch list; a compliance officer decides


# the reasons a compliance officer (not a risk officer) decides an application on
COMPLIANCE_REASONS = frozenset({SANCTIONS_SCREENING_HIT, "BENEFICIAL_OWNER_NOT_APPLICANT"})
NOT_ELIGIBLE = "NOT_ELIGIBLE"  # what a customer is told in place of a reason she must not be told


def told_to_customer(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The reasons she may read: never that she is on a sanctions or watch list (the anti-money-laundering law
    forbids telling a customer of a screening or a report about her); a decision that rests on it says only that
    she is not eligible."""
    shown = tuple(c for c in codes if c != SANCTIONS_SCREENING_HIT)
    return shown if len(shown) == len(codes) else (NOT_ELIGIBLE, *shown)


@dataclass(frozen=True)
class KnownRisks:
    """Causes, each once (a record seen both as an open warning's cause and in the record index is one cause)."""

    causes: tuple[Cause, ...] = ()
    settled: frozenset[str] = frozenset()  # causes an officer has disposed of on one of the customer's lines

    @classmethod
    def of(cls, *groups: list[Cause] | tuple[Cause, ...], settled: frozenset[str] = frozenset()) -> KnownRisks:
        unique: dict[str, Cause] = {}
        for cause in (c for group in groups for c in group):
            kept = unique.get(cause.cause_key)
            if kept is None or cause.level > kept.level:
                unique[cause.cause_key] = cause
        return cls(tuple(sorted(unique.values(), key=lambda c: (-c.level, c.first_seen))), settled)

    @property
    def red(self) -> tuple[Cause, ...]:
        """The RED causes that stand: one an officer has already judged (unfrozen, a false alarm) no longer freezes
        or declines by itself - it still refers, so that an officer looks at it again."""
        return tuple(c for c in self.causes if c.level is Level.RED and c.cause_key not in self.settled)

    @property
    def sanctioned(self) -> bool:
        """A standing sanctions or watch-list entry about her: the application waits for a compliance officer, and
        no drawdown is paid (the anti-money-laundering law: screening before and during the relationship)."""
        return any(c.source is Source.SANCTIONS for c in self.red)

    @property
    def declines(self) -> bool:
        """A RED court record declines by rule - unless she is on a sanctions list, which a compliance officer
        must see (and may have to report) rather than the system decline quietly."""
        return not self.sanctioned and any(c.source is Source.JUDICIAL for c in self.red)

    @property
    def refers(self) -> bool:
        return bool(self.causes)

    def reason_codes(self) -> tuple[str, ...]:
        if self.sanctioned:
            return (SANCTIONS_SCREENING_HIT,)
        if self.declines:
            return (KNOWN_COURT_RECORD,)
        return (KNOWN_RISK_ON_FILE,) if self.causes else ()

    def evidence(self) -> tuple[dict[str, Any], ...]:
        """What the officer reads on the review: each cause's rule, level, source, when it was first seen and its
        record's own facts (already an allow-list: no name, no ID number)."""
        return tuple({"rule": c.rule, "level": c.level.name, "source": c.source.value,
                      "first_seen": c.first_seen.isoformat(), "evidence": dict(c.evidence)} for c in self.causes)
