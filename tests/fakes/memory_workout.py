"""The in-memory LoanWorkoutRepository (restructuring, write-off, recoveries, collections, messages): the same
conditions as the DynamoDB adapter, checked under one lock. Mixed into MemoryRepository."""

from __future__ import annotations

import copy
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from chalicelib.domain.collections import CollectionCase
from chalicelib.domain.credit_line import LineChange
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError
from chalicelib.domain.loan import Loan, LoanStatus
from chalicelib.domain.restructuring import LoanRestructuring, RestructuringRequest
from chalicelib.domain.write_off import LoanWriteOff, Recovery, WriteOffProposal, WriteOffStatus
from chalicelib.ports import CustomerMessage

if TYPE_CHECKING:
    from .memory import MemoryRepository


class MemoryLoanWorkout:
    def _init_workout(self) -> None:
        self.restructurings: dict[str, RestructuringRequest] = {}
        self.closed: dict[str, list[dict[str, Any]]] = {}
        self.write_offs: dict[str, WriteOffProposal] = {}
        self.recoveries: dict[str, dict[str, Any]] = {}
        self.collections: dict[str, CollectionCase] = {}
        self.messages: dict[str, list[CustomerMessage]] = {}
        self._workout_lock = threading.RLock()

    @staticmethod
    def _as_read(stored: Loan, loan: Loan, claims: dict[str, Any]) -> bool:
        return (stored.outstanding_principal == loan.outstanding_principal and stored.status is loan.status
                and stored.instalments_paid == loan.instalments_paid and loan.loan_id not in claims)

    # ---- restructuring ----------------------------------------------------------------------------------
    def add_restructuring_request(self: MemoryRepository, request: RestructuringRequest) -> None:
        with self._workout_lock:
            if any(r.loan_id == request.loan_id and r.status.open for r in self.restructurings.values()):
                raise ConcurrentModificationError("a restructuring request of this loan is already open")
            request.version = 1
            self.restructurings[request.request_id] = copy.deepcopy(replace(request, pending_events=[]))
            self._append(request.loan_id, list(request.pending_events))
            request.pending_events.clear()

    def get_restructuring_request(self: MemoryRepository, request_id: str) -> RestructuringRequest:
        found = self.restructurings.get(request_id)
        if found is None:
            raise NotFoundError("restructuring request not found", {"request_id": request_id})
        return copy.deepcopy(found)

    def _store_request(self: MemoryRepository, request: RestructuringRequest) -> bool:
        return _store_versioned(self, self.restructurings, request.request_id, request, request.loan_id)

    def save_restructuring_request(self: MemoryRepository, request: RestructuringRequest) -> None:
        with self._workout_lock:
            if not MemoryLoanWorkout._store_request(self, request):
                raise ConcurrentModificationError("the request changed meanwhile; read it again")

    def restructure_loan(self: MemoryRepository, loan: Loan, request: RestructuringRequest,
                         change: LoanRestructuring) -> bool:
        with self._workout_lock:
            stored = self.loans[loan.loan_id]
            held = self.restructurings.get(request.request_id)
            if not MemoryLoanWorkout._as_read(stored, loan, self.claims) or held is None or \
                    held.version != request.version:
                return False
            MemoryLoanWorkout._store_request(self, request)
            self.closed.setdefault(loan.loan_id, []).append(
                {"closed_at": change.event.occurred_at.isoformat(), "request_id": request.request_id,
                 "schedule": list(change.closed_schedule)})
            if change.review.loan_class != stored.review.loan_class:
                self.classifications.setdefault(loan.loan_id, []).append(
                    {"from": stored.review.loan_class, "to": change.review.loan_class,
                     "reasons": ["RESTRUCTURED_UNDER_OBSERVATION"], "at": change.event.occurred_at.isoformat()})
            stored.schedule, stored.term_months = change.schedule, change.term_months
            stored.extended_months, stored.restructured_on = change.extended_months, change.restructured_on
            stored.observed_until, stored.review = change.observed_until, change.review
            if change.ledger is not None:
                self.ledger.setdefault(loan.credit_line_id, []).append(change.ledger)
            self._append(loan.loan_id, [change.event])
            return True

    def open_restructuring_requests(self: MemoryRepository) -> list[RestructuringRequest]:
        return sorted((copy.deepcopy(r) for r in self.restructurings.values() if r.status.open),
                      key=lambda r: r.requested_at)

    def restructuring_requests_of(self: MemoryRepository, customer_id: str) -> list[RestructuringRequest]:
        return sorted((copy.deepcopy(r) for r in self.restructurings.values() if r.customer_id == customer_id),
                      key=lambda r: r.requested_at, reverse=True)

    def closed_schedules(self: MemoryRepository, loan_id: str) -> list[dict[str, Any]]:
        return [{**c, "schedule": [{"number": i.number, "due_date": i.due_date.isoformat(),
                                    "principal_fen": i.principal.fen, "interest_fen": i.interest.fen}
                                   for i in c["schedule"]]} for c in self.closed.get(loan_id, [])]

    # ---- write-off and recoveries ------------------------------------------------------------------------
    def propose_write_off(self: MemoryRepository, proposal: WriteOffProposal) -> None:
        with self._workout_lock:
            held = self.write_offs.get(proposal.loan_id)
            if held is not None and held.status is not WriteOffStatus.DECLINED:
                raise ConcurrentModificationError("a write-off of this loan is already proposed or done")
            proposal.version = 1
            self.write_offs[proposal.loan_id] = copy.deepcopy(replace(proposal, pending_events=[]))
            self._append(proposal.loan_id, list(proposal.pending_events))
            proposal.pending_events.clear()

    def get_write_off(self: MemoryRepository, loan_id: str) -> WriteOffProposal | None:
        return copy.deepcopy(self.write_offs.get(loan_id))

    def _store_proposal(self: MemoryRepository, proposal: WriteOffProposal) -> bool:
        return _store_versioned(self, self.write_offs, proposal.loan_id, proposal, proposal.loan_id)

    def save_write_off(self: MemoryRepository, proposal: WriteOffProposal) -> None:
        with self._workout_lock:
            if not MemoryLoanWorkout._store_proposal(self, proposal):
                raise ConcurrentModificationError("the write-off changed meanwhile; read it again")

    def write_off_loan(self: MemoryRepository, loan: Loan, proposal: WriteOffProposal, change: LoanWriteOff,
                       line: LineChange | None) -> bool:
        with self._workout_lock:
            stored = self.loans[loan.loan_id]
            held = self.write_offs.get(proposal.loan_id)
            stored_line = self.lines[loan.credit_line_id]
            if (not MemoryLoanWorkout._as_read(stored, loan, self.claims) or held is None
                    or held.version != proposal.version
                    or (line is not None and stored_line.status is not line.expected)):
                return False
            MemoryLoanWorkout._store_proposal(self, proposal)
            stored.status = LoanStatus.WRITTEN_OFF
            stored.written_off_on, stored.written_off_fen = change.written_off_on, change.written_off_fen
            self.ledger.setdefault(loan.credit_line_id, []).extend(change.ledger)
            if line is not None:
                stored_line.status = line.new
                self._append(loan.credit_line_id, [line.event])
            self._append(loan.loan_id, [change.event])
            return True

    def open_write_offs(self: MemoryRepository) -> list[WriteOffProposal]:
        return sorted((copy.deepcopy(p) for p in self.write_offs.values() if p.status is WriteOffStatus.PROPOSED),
                      key=lambda p: p.proposed_at)

    def record_recovery(self: MemoryRepository, loan: Loan, recovery: Recovery, record: dict[str, Any]) -> bool:
        with self._workout_lock:
            stored = self.loans[loan.loan_id]
            if recovery.recovery_id in self.recoveries or stored.recovered_fen != loan.recovered_fen \
                    or stored.status is not LoanStatus.WRITTEN_OFF:
                return False
            self.recoveries[recovery.recovery_id] = dict(record)
            stored.recovered_fen += recovery.amount.fen
            self.ledger.setdefault(loan.credit_line_id, []).extend(recovery.ledger)
            self._append(loan.loan_id, [recovery.event])
            return True

    # ---- collections and messages ------------------------------------------------------------------------
    def get_collection_case(self: MemoryRepository, customer_id: str) -> CollectionCase | None:
        return copy.deepcopy(self.collections.get(customer_id))

    def save_collection_case(self: MemoryRepository, case: CollectionCase) -> bool:
        with self._workout_lock:
            held = self.collections.get(case.customer_id)
            if (held.version if held else 0) != case.version:
                return False
            case.version += 1
            self.collections[case.customer_id] = copy.deepcopy(replace(case, pending_events=[]))
            self._append(case.customer_id, list(case.pending_events))
            case.pending_events.clear()
            return True

    def collection_cases(self: MemoryRepository, limit: int = 200) -> list[CollectionCase]:
        late = [copy.deepcopy(c) for c in self.collections.values() if c.days_past_due > 0]
        return sorted(late, key=lambda c: (-c.days_past_due, c.customer_id))[:limit]

    def add_customer_message(self: MemoryRepository, customer_id: str, message: CustomerMessage) -> None:
        self.messages.setdefault(customer_id, []).append(message)

    def customer_messages(self: MemoryRepository, customer_id: str, limit: int = 50) -> list[CustomerMessage]:
        return sorted(self.messages.get(customer_id, []), key=lambda m: m.at, reverse=True)[:limit]


def _store_versioned(repo: MemoryRepository, table: dict[str, Any], key: str, record: Any, stream: str) -> bool:
    """Stored only over the version it was read at (as DynamoDB's condition does), its events appended once."""
    held = table.get(key)
    if held is None or held.version != record.version:
        return False
    record.version += 1
    table[key] = copy.deepcopy(replace(record, pending_events=[]))
    repo._append(stream, list(record.pending_events))
    record.pending_events.clear()
    return True
