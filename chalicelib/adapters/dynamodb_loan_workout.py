"""The DynamoDB side of a loan's life after payout (the LoanWorkoutRepository port): restructuring, write-off,
recoveries, collection cases and the app's messages, in the lending table beside the loans they change. Mixed into
DynamoDbLendingRepository, whose helpers (items, conditions, the unit of work) it uses: a loan's move and the
record that caused it are one transaction."""

from __future__ import annotations

from typing import Any, Protocol

from ..domain.collections import CollectionCase
from ..domain.credit_line import LineChange
from ..domain.errors import ConcurrentModificationError, NotFoundError
from ..domain.loan import Loan, LoanStatus
from ..domain.restructuring import LoanRestructuring, RestructuringRequest
from ..domain.write_off import LoanWriteOff, Recovery, WriteOffProposal
from ..ports import CustomerMessage
from . import dynamodb_codec as codec
from . import dynamodb_workout_codec as wcodec
from .dynamodb_unit_of_work import DynamoDbUnitOfWork


class _Table(Protocol):
    """What the lending repository lends its workout half: the table, its client and its helpers."""

    _client: Any
    _table: str

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None: ...

    def _query_gsi(self, index: str, pk_name: str, pk: str, sk_name: str, sk_prefix: str,
                   limit: int | None = None, newest_first: bool = True) -> list[dict[str, Any]]: ...

    def unit_of_work(self) -> DynamoDbUnitOfWork: ...

    @staticmethod
    def _trail_pk(aggregate_id: str) -> str: ...

_dump, _load = codec.dump_item, codec.load_item


def _loan_as_read(loan: Loan) -> tuple[str, dict[str, Any]]:
    """The loan's condition "as I read it": principal, instalments paid, status, and no repayment being booked."""
    assert loan.outstanding_principal is not None
    return ("outstanding_principal_fen = :before AND instalments_paid = :paid AND #status = :was "
            "AND attribute_not_exists(repayment_claim)",
            {":before": loan.outstanding_principal.fen, ":paid": loan.instalments_paid, ":was": loan.status.value})


class DynamoDbLoanWorkout:
    # ---- restructuring ----------------------------------------------------------------------------------
    def add_restructuring_request(self: _Table, request: RestructuringRequest) -> None:
        request.version = 1
        uow = self.unit_of_work().put(wcodec.restructuring_to_item(request), "attribute_not_exists(PK)").put(
            {**wcodec.restructuring_guard_key(request.loan_id), "entity": "RESTRUCTURING_OPEN",
             "request_id": request.request_id}, "attribute_not_exists(PK)")
        for event in request.pending_events:
            uow.event(codec.loan_key(request.loan_id)["PK"], event)
        if not uow.commit():
            request.version = 0
            raise ConcurrentModificationError("a restructuring request of this loan is already open")
        request.pending_events.clear()

    def get_restructuring_request(self: _Table, request_id: str) -> RestructuringRequest:
        item = self._get(wcodec.restructuring_key(request_id))
        if item is None:
            raise NotFoundError("restructuring request not found", {"request_id": request_id})
        return wcodec.restructuring_from_item(item)

    def _request_write(self: _Table, uow: DynamoDbUnitOfWork,
                       request: RestructuringRequest) -> None:
        stored = wcodec.restructuring_to_item(request) | {"version": request.version + 1}
        uow.put(stored, "version = :v", {":v": request.version})
        if not request.status.open:
            uow.add({"Delete": {"TableName": self._table,
                                "Key": _dump(wcodec.restructuring_guard_key(request.loan_id))}})
        for event in request.pending_events:
            uow.event(codec.loan_key(request.loan_id)["PK"], event)

    def save_restructuring_request(self: _Table, request: RestructuringRequest) -> None:
        uow = self.unit_of_work()
        DynamoDbLoanWorkout._request_write(self, uow, request)
        if not uow.commit():
            raise ConcurrentModificationError("the request changed meanwhile; read it again")
        request.version += 1
        request.pending_events.clear()

    def restructure_loan(self: _Table, loan: Loan, request: RestructuringRequest,
                         change: LoanRestructuring) -> bool:
        condition, values = _loan_as_read(loan)
        key = codec.loan_key(loan.loan_id)
        sets = {"schedule": codec.schedule_to_items(change.schedule), "term_months": change.term_months,
                "extended_months": change.extended_months, "restructured_on": change.restructured_on.isoformat(),
                "observed_until": change.observed_until.isoformat(), "loan_class": change.review.loan_class}
        uow = self.unit_of_work().add({"Update": {
            "TableName": self._table, "Key": _dump(key),
            "UpdateExpression": "SET " + ", ".join(f"{k} = :{k}" for k in sets),
            "ConditionExpression": condition, "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump(values | {f":{k}": v for k, v in sets.items()})}})
        DynamoDbLoanWorkout._request_write(self, uow, request)
        at = change.event.occurred_at.isoformat()
        uow.put({"PK": key["PK"], "SK": f"CLOSED_SCHEDULE#{at}", "entity": "CLOSED_SCHEDULE", "closed_at": at,
                 "request_id": request.request_id, "schedule": codec.schedule_to_items(change.closed_schedule)},
                "attribute_not_exists(PK)")
        if change.review.loan_class != loan.review.loan_class:
            uow.put({"PK": key["PK"], "SK": f"CLASSIFICATION#{at}", "entity": "LOAN_CLASSIFICATION",
                     "from": loan.review.loan_class, "to": change.review.loan_class,
                     "reasons": ["RESTRUCTURED_UNDER_OBSERVATION"], "at": at}, "attribute_not_exists(PK)")
        if change.ledger is not None:
            uow.put(codec.ledger_to_item(loan.credit_line_id, change.ledger), "attribute_not_exists(PK)")
        uow.event(key["PK"], change.event)
        if not uow.commit():
            return False
        request.version += 1
        request.pending_events.clear()
        return True

    def open_restructuring_requests(self: _Table) -> list[RestructuringRequest]:
        items = self._query_gsi("GSI2", "GSI2PK", "RESTRUCTURING_STATUS#OPEN", "GSI2SK", "", newest_first=False)
        return [wcodec.restructuring_from_item(i) for i in items]

    def restructuring_requests_of(self: _Table, customer_id: str) -> list[RestructuringRequest]:
        items = self._query_gsi("GSI1", "GSI1PK", f"CUSTOMER#{customer_id}", "GSI1SK", "RESTRUCTURING#")
        return [wcodec.restructuring_from_item(i) for i in items]

    def closed_schedules(self: _Table, loan_id: str) -> list[dict[str, Any]]:
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :s)", ConsistentRead=True,
            ExpressionAttributeValues=_dump({":pk": codec.loan_key(loan_id)["PK"], ":s": "CLOSED_SCHEDULE#"}))
        return [{k: i[k] for k in ("closed_at", "request_id", "schedule")} for i in map(_load, page["Items"])]

    # ---- write-off and recoveries ------------------------------------------------------------------------
    def propose_write_off(self: _Table, proposal: WriteOffProposal) -> None:
        proposal.version = 1  # a declined proposal may be followed by a new one, never an open or confirmed one
        uow = self.unit_of_work().add({"Put": {
            "TableName": self._table, "Item": _dump(wcodec.write_off_to_item(proposal)),
            "ConditionExpression": "attribute_not_exists(PK) OR #status = :declined",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":declined": "DECLINED"})}})
        for event in proposal.pending_events:
            uow.event(codec.loan_key(proposal.loan_id)["PK"], event)
        if not uow.commit():
            proposal.version = 0
            raise ConcurrentModificationError("a write-off of this loan is already proposed or done")
        proposal.pending_events.clear()

    def get_write_off(self: _Table, loan_id: str) -> WriteOffProposal | None:
        item = self._get(wcodec.write_off_key(loan_id))
        return None if item is None else wcodec.write_off_from_item(item)

    def _proposal_write(self: _Table, uow: DynamoDbUnitOfWork, proposal: WriteOffProposal) -> None:
        uow.put(wcodec.write_off_to_item(proposal) | {"version": proposal.version + 1}, "version = :v",
                {":v": proposal.version})
        for event in proposal.pending_events:
            uow.event(codec.loan_key(proposal.loan_id)["PK"], event)

    def save_write_off(self: _Table, proposal: WriteOffProposal) -> None:
        uow = self.unit_of_work()
        DynamoDbLoanWorkout._proposal_write(self, uow, proposal)
        if not uow.commit():
            raise ConcurrentModificationError("the write-off changed meanwhile; read it again")
        proposal.version += 1
        proposal.pending_events.clear()

    def write_off_loan(self: _Table, loan: Loan, proposal: WriteOffProposal,
                       change: LoanWriteOff, line: LineChange | None) -> bool:
        condition, values = _loan_as_read(loan)
        key = codec.loan_key(loan.loan_id)
        uow = self.unit_of_work().add({"Update": {
            "TableName": self._table, "Key": _dump(key),
            "UpdateExpression": "SET #status = :written, GSI2PK = :index, written_off_on = :on, "
                                "written_off_fen = :fen",
            "ConditionExpression": condition, "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump(values | {
                ":written": LoanStatus.WRITTEN_OFF.value, ":index": f"LOAN_STATUS#{LoanStatus.WRITTEN_OFF.value}",
                ":on": change.written_off_on.isoformat(), ":fen": change.written_off_fen})}})
        DynamoDbLoanWorkout._proposal_write(self, uow, proposal)
        for txn in change.ledger:
            uow.put(codec.ledger_to_item(loan.credit_line_id, txn), "attribute_not_exists(PK)")
        if line is not None:
            uow.move_line(line)
        uow.event(key["PK"], change.event)
        if not uow.commit():
            return False
        proposal.version += 1
        proposal.pending_events.clear()
        return True

    def open_write_offs(self: _Table) -> list[WriteOffProposal]:
        items = self._query_gsi("GSI2", "GSI2PK", "WRITE_OFF_STATUS#PROPOSED", "GSI2SK", "", newest_first=False)
        return [wcodec.write_off_from_item(i) for i in items]

    def record_recovery(self: _Table, loan: Loan, recovery: Recovery,
                        record: dict[str, Any]) -> bool:
        key = codec.loan_key(loan.loan_id)
        uow = self.unit_of_work().put({**wcodec.recovery_key(recovery.recovery_id), "entity": "RECOVERY", **record},
                                      "attribute_not_exists(PK)").add({"Update": {
            "TableName": self._table, "Key": _dump(key),
            "UpdateExpression": "SET recovered_fen = :after",
            "ConditionExpression": "recovered_fen = :before AND #status = :written",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":after": loan.recovered_fen + recovery.amount.fen,
                                                ":before": loan.recovered_fen,
                                                ":written": LoanStatus.WRITTEN_OFF.value})}})
        for txn in recovery.ledger:
            uow.put(codec.ledger_to_item(loan.credit_line_id, txn), "attribute_not_exists(PK)")
        return uow.event(key["PK"], recovery.event).commit()

    # ---- collections and messages ------------------------------------------------------------------------
    def get_collection_case(self: _Table, customer_id: str) -> CollectionCase | None:
        item = self._get(wcodec.collection_key(customer_id))
        return None if item is None else wcodec.collection_from_item(item)

    def save_collection_case(self: _Table, case: CollectionCase) -> bool:
        stored = wcodec.collection_to_item(case) | {"version": case.version + 1}
        uow = self.unit_of_work()
        if case.version == 0:
            uow.put(stored, "attribute_not_exists(PK)")
        else:
            uow.put(stored, "version = :v", {":v": case.version})
        for event in case.pending_events:
            uow.event(self._trail_pk(case.customer_id), event)
        if not uow.commit():
            return False
        case.version += 1
        case.pending_events.clear()
        return True

    def collection_cases(self: _Table, limit: int = 200) -> list[CollectionCase]:
        items = self._query_gsi("GSI2", "GSI2PK", "COLLECTION_CASES", "GSI2SK", "", limit=limit, newest_first=False)
        return [wcodec.collection_from_item(i) for i in items]

    def add_customer_message(self: _Table, customer_id: str, message: CustomerMessage) -> None:
        self._client.put_item(TableName=self._table, Item=_dump(wcodec.message_to_item(customer_id, message)))

    def customer_messages(self: _Table, customer_id: str, limit: int = 50
                          ) -> list[CustomerMessage]:
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :m)", ScanIndexForward=False,
            Limit=limit, ExpressionAttributeValues=_dump({":pk": f"MESSAGES#{customer_id}", ":m": "MESSAGE#"}))
        return [wcodec.message_from_item(_load(i)) for i in page["Items"]]
