"""The daily sweep over the portfolio and what it adds up.

Lines are spread over a fixed number of shards by a hash of their id, written on the line when it is created; the
sweep's state machine runs one task per shard (a Distributed Map), so no single function ever loops over every
loan. Sized for 1,000,000 lines: 64 shards of about 15,600 lines, each a few minutes of work for one Lambda
(bench/ measures the rate per line), at most 32 shards at a time.

Each shard writes its own figures for the day (outstanding by delinquency bucket and by classification, lines
active and frozen); the portfolio view adds the shards up. Amounts are integers of fen."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from .classification import Bucket, LoanClass

SWEEP_SHARDS = 64


def shard_of(credit_line_id: str) -> int:
    return int(hashlib.sha256(credit_line_id.encode()).hexdigest()[:8], 16) % SWEEP_SHARDS


@dataclass
class ShardFigures:
    """What one shard's sweep counted (the portfolio view adds the shards)."""

    lines_active: int = 0
    lines_frozen: int = 0
    loans: int = 0
    outstanding_by_bucket: Counter[str] = field(default_factory=Counter)
    outstanding_by_class: Counter[str] = field(default_factory=Counter)
    loans_by_bucket: Counter[str] = field(default_factory=Counter)
    vintage: Counter[str] = field(default_factory=Counter)  # "cohort|month|loans" and "cohort|month|ever30"
    rolls: Counter[str] = field(default_factory=Counter)  # "start-of-month bucket>today's bucket"
    reclassified: int = 0
    signals: int = 0
    collected: int = 0
    overdue: int = 0
    reminders: int = 0
    written_off_loans: int = 0
    written_off_fen: int = 0  # off the balance sheet: principal and interest written off, less what was recovered
    recovered_fen: int = 0

    def add_loan(self, outstanding_fen: int, bucket: Bucket, loan_class: LoanClass) -> None:
        self.loans += 1
        self.outstanding_by_bucket[bucket.value] += outstanding_fen
        self.outstanding_by_class[loan_class.name] += outstanding_fen
        self.loans_by_bucket[bucket.value] += 1

    def add_written_off(self, written_off_fen: int, recovered_fen: int) -> None:
        self.written_off_loans += 1
        self.written_off_fen += written_off_fen - recovered_fen
        self.recovered_fen += recovered_fen

    def add_vintage(self, cohort: str, month: str, ever_30_dpd: bool) -> None:
        self.vintage[f"{cohort}|{month}|loans"] += 1
        self.vintage[f"{cohort}|{month}|ever30"] += int(ever_30_dpd)

    def to_dict(self) -> dict[str, object]:
        return {"lines_active": self.lines_active, "lines_frozen": self.lines_frozen, "loans": self.loans,
                "outstanding_by_bucket": dict(self.outstanding_by_bucket),
                "outstanding_by_class": dict(self.outstanding_by_class),
                "loans_by_bucket": dict(self.loans_by_bucket), "vintage": dict(self.vintage),
                "rolls": dict(self.rolls), "reclassified": self.reclassified,
                "signals": self.signals, "collected": self.collected, "overdue": self.overdue,
                "reminders": self.reminders, "written_off_loans": self.written_off_loans,
                "written_off_fen": self.written_off_fen, "recovered_fen": self.recovered_fen}


def add_up(shards: list[dict[str, object]]) -> dict[str, object]:
    """The portfolio: the shards' figures summed (every bucket and class present, zero when empty)."""
    total: dict[str, object] = {"lines_active": 0, "lines_frozen": 0, "loans": 0, "shards": len(shards),
                                "written_off_loans": 0, "written_off_fen": 0, "recovered_fen": 0,
                                "outstanding_by_bucket": {b.value: 0 for b in Bucket},
                                "outstanding_by_class": {c.name: 0 for c in LoanClass},
                                "loans_by_bucket": {b.value: 0 for b in Bucket}, "vintage": {}, "rolls": {}}
    for shard in shards:
        for key in ("lines_active", "lines_frozen", "loans", "written_off_loans", "written_off_fen", "recovered_fen"):
            total[key] = int(total[key]) + int(shard.get(key, 0))  # type: ignore[call-overload]
        for key in ("outstanding_by_bucket", "outstanding_by_class", "loans_by_bucket", "vintage", "rolls"):
            into = total[key]
            assert isinstance(into, dict)
            for name, value in dict(shard.get(key, {})).items():  # type: ignore[call-overload]
                into[name] = into.get(name, 0) + int(value)
    return total
