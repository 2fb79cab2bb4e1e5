"""Records from outside the bank (court lists, the registry, the tax authority, bureau refreshes): received, kept by
the subject's keyed hash, and applied to each monitored line of each customer they are about."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from ...domain.aml import AmlCaseKind
from ...domain.credit_line import CreditLineStatus
from ...domain.early_warning import (
    Cause,
    Outcome,
    assess,
)
from ...domain.errors import (
    ValidationError,
)
from ...domain.external_records import (
    BUREAU_FIGURES,
    ExternalRecord,
    FeedSource,
    check,
    record_id_of,
    signals_of,
    snapshot_of,
)
from ...domain.known_risks import KnownRisks
from ...observability import logger, metrics
from ...ports import ExternalRecordFeed, FieldCipher, IdentityRegister, LendingRepository, Notifier, WarningStore
from ...settings import Settings
from ..compliance import aml
from .rescoring import rescore_signal
from .signals import EvaluationPorts, evaluate, warning_policy


class FeedPorts(Protocol):
    """The ports the feeds use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    external_records: ExternalRecordFeed
    identities: IdentityRegister
    notifier: Notifier
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore


class KnownRiskPorts(Protocol):
    """What finding the standing records about an applicant touches (the scoring step asks it)."""

    cipher: FieldCipher
    repo: LendingRepository
    warnings: WarningStore


MONITORED = (CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN)


def receive(source: FeedSource, body: dict[str, Any], received_at: datetime, id_number: str | None = None,
            registration_no: str | None = None) -> ExternalRecord:
    """A record as a feed delivers it, checked: its shape, its own id, whom it is about."""
    if bool(id_number) == bool(registration_no):
        raise ValidationError("a record is about an id_number or a registration_no (one of them)",
                              {"field": "id_number"})
    if source is FeedSource.REGISTRY and not registration_no:
        raise ValidationError("a registry record is about a business: registration_no", {"field": "registration_no"})
    check(source, body)
    return ExternalRecord(source, record_id_of(source, body), received_at, body,
                          id_number.strip().upper() if id_number else None,
                          registration_no.strip().upper() if registration_no else None)


def business_hash(cipher: FieldCipher, registration_no: str) -> str:
    return cipher.keyed_hash(f"business:{registration_no.strip().upper()}")


def customers_of(deps: FeedPorts, record: ExternalRecord) -> list[str]:
    """The bank's customers a record is about, found by keyed hash as the identity register keeps them."""
    if record.id_number:
        holder = deps.identities.holder_of(deps.cipher.keyed_hash(record.id_number))
        return [holder] if holder else []
    if record.registration_no:
        return deps.identities.business_holders(business_hash(deps.cipher, record.registration_no))
    return []


def subject_hash(deps: FeedPorts, record: ExternalRecord) -> str:
    return deps.cipher.keyed_hash(record.id_number) if record.id_number else \
        business_hash(deps.cipher, record.registration_no or "")


def deliver_as_the_feed(deps: FeedPorts, record: ExternalRecord) -> str:
    """Local stage only: writes a record where the bank's feed writes it (its arrival is the event); the key."""
    return deps.external_records.deliver(record)


def note_record(deps: FeedPorts, record: ExternalRecord) -> None:
    """What the record says of its subject, as causes with their rule and level, kept by the subject's keyed hash
    whether or not the subject is a borrower yet (a withdrawn record is forgotten). A bureau refresh is not kept:
    it means something only against the previous one, and origination queries the bureau itself."""
    if record.source is FeedSource.BUREAU:
        return
    subject, policy = subject_hash(deps, record), warning_policy(deps.settings)
    for signal in signals_of(record, None):
        rule = assess(signal, policy)
        if rule is not None:
            deps.warnings.note_subject_record(subject, Cause(signal.cause_key, rule.code, rule.level, signal.source,
                                                             signal.observed_at, dict(signal.evidence)),
                                              cleared=signal.cleared)


def known_risks_of(deps: KnownRiskPorts, customer_id: str, id_number_hash: str, registration_no: str) -> KnownRisks:
    """What the bank knows of an applicant: the causes of the open warnings on her lines, and the standing records
    about her ID number and her business."""
    lines = monitored_lines(deps.repo, customer_id)
    open_causes = [c for line_id in lines
                   for w in [deps.warnings.open_warning_of_line(line_id)] if w is not None for c in w.causes]
    settled = frozenset().union(*(deps.warnings.settled_causes(line_id) for line_id in lines))
    records = deps.warnings.subject_records(id_number_hash) if id_number_hash else []
    business = deps.warnings.subject_records(business_hash(deps.cipher, registration_no)) if registration_no else []
    return KnownRisks.of(open_causes, records, business, settled=settled)


def monitored_lines(repo: LendingRepository, customer_id: str) -> list[str]:
    """The customer's lines that still carry risk: active or frozen (a closed line has nothing to protect)."""
    ids = [a.credit_line_id for a in repo.applications_of_customer(customer_id) if a.credit_line_id]
    return [i for i in ids if repo.get_credit_line(i).status in MONITORED]


def on_external_record(deps: FeedPorts, key: str) -> list[Outcome]:
    """A record from a feed has landed: it is kept for applications made later (by its subject's keyed hash), and
    each monitored line of each customer it is about is evaluated at once."""
    record = deps.external_records.read(key)
    note_record(deps, record)
    outcomes: list[Outcome] = []
    for customer_id in customers_of(deps, record):
        outcomes.extend(apply_record(deps, customer_id, record))
        if record.source is FeedSource.SANCTIONS and not record.cleared:  # a borrower listed: the worklist too
            aml.open_case(deps.repo, record.received_at, customer_id, AmlCaseKind.SANCTIONS_HIT, record.record_id,
                          f"listing:{record.record_id}",
                          {"at": "LISTING", "entry_no": record.record_id,
                           "list_name": str(record.body.get("list_name", ""))[:60]})
    metrics.add_metric(name="ExternalRecordsEvaluated", unit="Count", value=1)
    logger.info("external record evaluated", extra={"source": record.source.value, "key": key,
                                                   "outcomes": [o.action for o in outcomes]})
    return outcomes


def apply_record(deps: EvaluationPorts, customer_id: str, record: ExternalRecord) -> list[Outcome]:
    """One record about one customer, on each of the customer's monitored lines. A bureau refresh is compared
    with the customer's previous one and rescored with the risk model."""
    lines = monitored_lines(deps.repo, customer_id)
    state = deps.warnings.monitoring_state(customer_id)
    previous = snapshot_of(state["bureau"]) if state.get("bureau") else None
    found = signals_of(record, previous)
    if record.source is FeedSource.BUREAU:
        if all(k in record.body for k in BUREAU_FIGURES):
            state["bureau"] = {k: record.body[k] for k in BUREAU_FIGURES}
        rescore = rescore_signal(deps, customer_id, record, state)
        if rescore is not None:
            found.append(rescore)
        deps.warnings.save_monitoring_state(customer_id, state)
    return [evaluate(deps, line_id, s) for line_id in lines for s in found]
