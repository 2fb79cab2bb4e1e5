"""Post-loan monitoring, one module per concern: signals (a signal becomes the line's warning; RED freezes),
feeds (records from outside the bank), rescoring (bureau refreshes), dispositions (officers' acts and
worklist) and notices (what the customer is told). Callers use the names below."""

from __future__ import annotations

from .dispositions import Disposition, DispositionRequest, dispose, worklist
from .feeds import (
    MONITORED,
    apply_record,
    business_hash,
    customers_of,
    deliver_as_the_feed,
    known_risks_of,
    monitored_lines,
    note_record,
    on_external_record,
    receive,
    subject_hash,
)
from .notices import (
    FROZEN_NOTICE,
    LIMIT_REDUCED_NOTICE,
    OVERDUE_NOTICE,
    REVIEW_NOTICE,
    UNFROZEN_NOTICE,
    notice_for,
    notices_for,
)
from .signals import classification_policy, evaluate, freeze_at_activation, new_warning_id, warning_policy

__all__ = [
    "FROZEN_NOTICE", "LIMIT_REDUCED_NOTICE", "MONITORED", "OVERDUE_NOTICE", "REVIEW_NOTICE", "UNFROZEN_NOTICE",
    "Disposition", "DispositionRequest", "apply_record", "business_hash", "classification_policy",
    "customers_of", "deliver_as_the_feed", "dispose", "evaluate", "freeze_at_activation", "known_risks_of",
    "monitored_lines", "new_warning_id", "note_record", "notice_for", "notices_for", "on_external_record", "receive",
    "subject_hash", "warning_policy", "worklist",
]
