"""The lending repository on one DynamoDB table (single-table design, documented in the README).

Every write is a condition expression or a transaction: versions for optimistic concurrency, attribute_not_exists
for things that must happen once (a drawdown's idempotency record, a loan per drawdown), and the credit line's
available amount moved only by a conditional arithmetic update, never read-then-write.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from ..domain.aml import AmlCase, AmlCaseStatus
from ..domain.application import ApplicationStatus, ApplicationSummary, LoanApplication
from ..domain.bureau_reporting import BureauReport
from ..domain.business_date import utcnow
from ..domain.complaint import Complaint
from ..domain.credit_dispute import CreditDispute, DisputeStatus
from ..domain.credit_line import CreditLine, CreditLineStatus, CreditLineSummary, LineChange
from ..domain.customer_record import PreApproval
from ..domain.drawdown import Drawdown, DrawdownSummary
from ..domain.errors import (
    ConcurrentModificationError,
    CreditLineNotActiveError,
    NotFoundError,
)
from ..domain.events import DomainEvent
from ..domain.human_review import HumanReview
from ..domain.ledger import LedgerTransaction
from ..domain.loan import Instalment, Loan, LoanReview, LoanStatus, RepaymentClaim
from ..domain.one_time_code import OneTimeCode
from ..ports import DocumentRecord, FieldCipher, LendingRepository, SweptLine
from . import dynamodb_codec as codec
from . import page_cursors
from .dynamodb_loan_workout import DynamoDbLoanWorkout
from .dynamodb_sealed_fields import SealedFields
from .dynamodb_unit_of_work import DynamoDbUnitOfWork

_CLAIM_ATTRIBUTES = "repayment_claim, repayment_claimed_at, repayment_claim_pending"


_dump, _load = codec.dump_item, codec.load_item


def _cancellation_codes(error: ClientError) -> list[str]:
    return [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]


# the business goes whole: its name is most often the owner's (张三便利店); the contract names its signers
_APPLICATION_PERSONAL = ("applicant_name", "applicant_phone", "payout_account_no", "business", "contract")
_DOCUMENT_PERSONAL = ("name",)  # the card holder's name read from her ID card, the business's from its licence


class DynamoDbLendingRepository(DynamoDbLoanWorkout, LendingRepository):
    def __init__(self, client: Any, table_name: str, cipher: FieldCipher) -> None:
        self._client = client
        self._table = table_name
        self._cipher = cipher
        self._sealed = SealedFields(cipher)  # names, phones and account numbers never reach the table in clear

    # ---- personal fields sealed at rest (dynamodb_sealed_fields.py) ----------------------------------
    def _application_item(self, app: LoanApplication) -> dict[str, Any]:
        item = self._sealed.seal(codec.application_to_item(app), _APPLICATION_PERSONAL, app.application_id)
        return {**item, "business_name_masked": app.summary().business_name_masked}  # for lists: nothing to open

    def _application_of(self, item: dict[str, Any]) -> LoanApplication:
        return codec.application_from_item(self._sealed.open(item, item["application_id"]))

    def _line_item(self, line: CreditLine) -> dict[str, Any]:
        item = self._sealed.seal(codec.credit_line_to_item(line), ("payout_account_no",), line.application_id)
        return {**item, "payout_account_masked": line.payout_account_masked}  # for lists: nothing to open

    def _document_item(self, doc: DocumentRecord) -> dict[str, Any]:
        item = codec.document_to_item(doc)
        personal = {f: item["fields"][f] for f in _DOCUMENT_PERSONAL if f in item["fields"]}
        if not personal:
            return item
        sealed = self._sealed.seal(personal, tuple(personal), doc.application_id)["sealed"]
        return {**item, "fields": {k: v for k, v in item["fields"].items() if k not in personal}, "sealed": sealed}

    def _document_of(self, item: dict[str, Any]) -> DocumentRecord:
        if "sealed" in item:
            opened = self._sealed.open(item, item["application_id"])
            item = {**item, "fields": {**item["fields"], **{f: opened[f] for f in _DOCUMENT_PERSONAL if f in opened}}}
            del item["sealed"]
        return codec.document_from_item(item)

    def _drawdown_item(self, dd: Drawdown) -> dict[str, Any]:
        item = self._sealed.seal(codec.drawdown_to_item(dd), ("account_no",), dd.drawdown_id)
        return {**item, "account_masked": dd.account_masked}  # for lists: nothing to open

    # ---- primitives ----------------------------------------------------------------------------------
    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=_dump(key), ConsistentRead=True)
        return _load(response["Item"]) if "Item" in response else None

    def _put(self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": _dump(item), "ConditionExpression": condition}
        if values:
            put["ExpressionAttributeValues"] = _dump(values)
        return {"Put": put}

    def _event_put(self, pk: str, event: DomainEvent) -> dict[str, Any]:
        return self._put(codec.event_to_item(pk, event), "attribute_not_exists(PK)")

    def _line_event(self, credit_line_id: str, event: DomainEvent) -> dict[str, Any]:
        """The same event, also in the credit line's own history (written in the transaction that moves it)."""
        return self._event_put(codec.credit_line_key(credit_line_id)["PK"], event)

    def unit_of_work(self) -> DynamoDbUnitOfWork:
        """A commit spanning aggregates (this table's items, the warnings' and the lines'), written at once."""
        return DynamoDbUnitOfWork(self._client, self._table)

    def _transact(self, items: list[dict[str, Any]]) -> None:
        self._client.transact_write_items(TransactItems=items)

    def _transact_or_cancelled(self, items: list[dict[str, Any]]) -> bool:
        """False when a condition cancelled the transaction: the caller's "already done" or "changed meanwhile"."""
        try:
            self._transact(items)
        except ClientError as err:
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        return True

    def _query_gsi(self, index: str, pk_name: str, pk: str, sk_name: str, sk_prefix: str,
                   limit: int | None = None, newest_first: bool = True) -> list[dict[str, Any]]:
        names, values, condition = {"#pk": pk_name}, {":pk": pk}, "#pk = :pk"
        if sk_prefix:  # DynamoDB refuses begins_with on an empty string
            names["#sk"], values[":prefix"] = sk_name, sk_prefix
            condition += " AND begins_with(#sk, :prefix)"
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": index, "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": _dump(values),
            "ScanIndexForward": not newest_first,
        }
        items: list[dict[str, Any]] = []
        while True:
            if limit:
                kwargs["Limit"] = limit - len(items)
            page = self._client.query(**kwargs)
            items.extend(_load(i) for i in page["Items"])
            if "LastEvaluatedKey" not in page or (limit and len(items) >= limit):
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ---- applications --------------------------------------------------------------------------------
    def add_application(self, app: LoanApplication) -> None:
        pk = codec.application_key(app.application_id)["PK"]
        app.version = 1
        items = [self._put(self._application_item(app), "attribute_not_exists(PK)")]
        items += [self._event_put(pk, e) for e in app.pending_events]
        try:
            # The token makes a retried request idempotent on DynamoDB (botocore retries a transaction whose answer
            # was lost, and the retry would fail its own conditions); moto ignores it, hence the check below.
            self._client.transact_write_items(TransactItems=items, ClientRequestToken=app.application_id[-36:])
        except ClientError as err:
            if err.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            stored = self._get(codec.application_key(app.application_id))
            if stored is None or stored.get("customer_id") != app.customer_id:
                raise
        app.pending_events.clear()

    def get_application(self, application_id: str) -> LoanApplication:
        item = self._get(codec.application_key(application_id))
        if item is None:
            raise NotFoundError("application not found", {"application_id": application_id})
        return self._application_of(item)

    def _application_put(self, app: LoanApplication, write_id: str = "") -> dict[str, Any]:
        expected = app.version
        app.version = expected + 1
        item = {**self._application_item(app), "write_id": write_id}
        return self._put(item, "version = :expected", {":expected": expected})

    def save_application(self, app: LoanApplication) -> None:
        pk = codec.application_key(app.application_id)["PK"]
        write_id = uuid.uuid4().hex  # names this write: a resent request that finds it stored has succeeded
        items = [self._application_put(app, write_id)] + [self._event_put(pk, e) for e in app.pending_events]
        try:
            self._client.transact_write_items(TransactItems=items, ClientRequestToken=write_id)
        except ClientError as err:
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                stored = self._get(codec.application_key(app.application_id))
                if stored is not None and stored.get("write_id") == write_id:
                    app.pending_events.clear()  # our own write, applied before a resend was refused
                    return
            app.version -= 1
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConcurrentModificationError("the application changed meanwhile; read it again") from err
            raise
        app.pending_events.clear()

    def applications_of_customer(self, customer_id: str) -> list[LoanApplication]:
        items = self._query_gsi("GSI1", "GSI1PK", f"CUSTOMER#{customer_id}", "GSI1SK", "APPLICATION#")
        return [self._application_of(i) for i in items]

    def application_summaries_of(self, customer_id: str, limit: int = 50,
                                 cursor: str | None = None) -> tuple[list[ApplicationSummary], str | None]:
        items, after = self._customer_page(customer_id, "APPLICATION#", limit, cursor)
        # an item written before the masked name was kept beside the envelope is opened, once, the old way
        return [codec.application_summary_from_item(i) if "business_name_masked" in i
                else self._application_of(i).summary() for i in items], after

    def applications_with_status(self, status: ApplicationStatus, limit: int = 100) -> list[LoanApplication]:
        """Oldest first; ``limit=0`` reads them all (batch jobs)."""
        items = self._query_gsi("GSI2", "GSI2PK", f"APPLICATION_STATUS#{status.value}", "GSI2SK", "",
                                limit=limit, newest_first=False)
        return [self._application_of(i) for i in items]

    @staticmethod
    def _trail_pk(aggregate_id: str) -> str:
        """Where an aggregate's events live: with the aggregate itself; anything else (a customer looked up) in a
        partition of its own."""
        prefix = {"app": "APPLICATION", "line": "CREDITLINE", "dd": "DRAWDOWN", "loan": "LOAN",
                  "warn": "WARNING", "cmp": "COMPLAINT", "dsp": "DISPUTE", "aml": "AML"}.get(
            aggregate_id.split("_", 1)[0], "SUBJECT")
        return f"{prefix}#{aggregate_id}"

    def record_staff_action(self, event: DomainEvent) -> None:
        self._client.put_item(**self._put(codec.event_to_item(self._trail_pk(event.aggregate_id), event),
                                          "attribute_not_exists(PK)")["Put"])

    def staff_actions(self, day: date) -> list[dict[str, Any]]:
        return self._query_gsi("GSI2", "GSI2PK", f"STAFF_ACTIONS#{day.isoformat()}", "GSI2SK", "",
                               newest_first=False)

    def milestones(self, day: date) -> list[dict[str, Any]]:
        return self._query_gsi("GSI1", "GSI1PK", f"MILESTONES#{day.isoformat()}", "GSI1SK", "", newest_first=False)

    def audit_trail(self, aggregate_id: str) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "KeyConditionExpression": "PK = :pk AND begins_with(SK, :ev)",
            "ExpressionAttributeValues": _dump({":pk": self._trail_pk(aggregate_id), ":ev": "EVENT#"}),
            "ConsistentRead": True}
        items: list[dict[str, Any]] = []
        while True:  # a busy line's history can outgrow one 1 MB page
            page = self._client.query(**kwargs)
            items.extend(_load(i) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ---- documents -----------------------------------------------------------------------------------
    def record_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        pk = codec.application_key(doc.application_id)["PK"]
        # A duplicate event or a replayed POST (same key), an older upload arriving late, or any upload once the
        # type's document was READ, changes nothing: what was read stays what is used.
        condition = "attribute_not_exists(PK) OR (s3_key <> :key AND received_at < :at AND #status <> :read)"
        put = self._put(self._document_item(doc), condition,
                        {":key": doc.s3_key, ":at": doc.received_at.isoformat(), ":read": "READ"})
        put["Put"]["ExpressionAttributeNames"] = {"#status": "status"}
        return self._transact_or_cancelled([put, self._event_put(pk, event)])

    def update_document(self, doc: DocumentRecord, event: DomainEvent) -> bool:
        pk = codec.application_key(doc.application_id)["PK"]
        # cancelled: a newer upload of the same type replaced this one meanwhile
        return self._transact_or_cancelled([
            self._put(self._document_item(doc), "s3_key = :key", {":key": doc.s3_key}), self._event_put(pk, event)])

    def documents_of(self, application_id: str) -> list[DocumentRecord]:
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :doc)",
            ExpressionAttributeValues=_dump({":pk": f"APPLICATION#{application_id}", ":doc": "DOCUMENT#"}),
            ConsistentRead=True)
        return [self._document_of(i) for i in map(_load, page["Items"])]

    # ---- credit lines --------------------------------------------------------------------------------
    def activate_credit_line(self, app: LoanApplication, line: CreditLine, event: DomainEvent) -> None:
        line.version = 1
        app_pk = codec.application_key(app.application_id)["PK"]
        line_pk = codec.credit_line_key(line.credit_line_id)["PK"]
        items = [self._put(self._line_item(line), "attribute_not_exists(PK)"),
                 self._event_put(line_pk, event), self._application_put(app)]
        items += [self._event_put(app_pk, e) for e in app.pending_events]
        try:
            self._transact(items)
        except ClientError as err:
            app.version -= 1
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConcurrentModificationError("the application changed meanwhile") from err
            raise
        app.pending_events.clear()

    def get_credit_line(self, credit_line_id: str) -> CreditLine:
        item = self._get(codec.credit_line_key(credit_line_id))
        if item is None:
            raise NotFoundError("credit line not found", {"credit_line_id": credit_line_id})
        return codec.credit_line_from_item(self._sealed.open(item, item["application_id"]))

    # ---- drawdowns -----------------------------------------------------------------------------------
    def add_drawdown(self, drawdown: Drawdown, idempotency_key: str) -> Drawdown:
        idem = {**codec.idempotency_key(drawdown.customer_id, idempotency_key), "entity": "IDEMPOTENCY",
                "drawdown_id": drawdown.drawdown_id, "request_hash": drawdown.request_hash,
                "created_at": utcnow().isoformat()}  # permanent: no TTL, ever
        drawdown.version = 1
        try:
            self._transact([self._put(idem, "attribute_not_exists(PK)"),
                            self._put(self._drawdown_item(drawdown), "attribute_not_exists(PK)"),
                            *self._drawdown_events(drawdown)])
            drawdown.pending_events.clear()
            return drawdown
        except ClientError as err:
            if err.response["Error"]["Code"] != "TransactionCanceledException":
                raise
        existing = self._get(codec.idempotency_key(drawdown.customer_id, idempotency_key))
        if existing is None:  # cancelled for another reason (e.g. a transaction conflict): let the client retry
            raise ConcurrentModificationError("the drawdown could not be recorded, retry with the same key")
        return self.get_drawdown(existing["drawdown_id"])

    def drawdown_for_key(self, customer_id: str, idempotency_key: str) -> Drawdown | None:
        existing = self._get(codec.idempotency_key(customer_id, idempotency_key))
        return None if existing is None else self.get_drawdown(existing["drawdown_id"])

    def get_drawdown(self, drawdown_id: str) -> Drawdown:
        item = self._get(codec.drawdown_key(drawdown_id))
        if item is None:
            raise NotFoundError("drawdown not found", {"drawdown_id": drawdown_id})
        return codec.drawdown_from_item(self._sealed.open(item, item["drawdown_id"]))

    def _drawdown_events(self, dd: Drawdown, line_too: bool = False) -> list[dict[str, Any]]:
        """The drawdown's pending events in its history (and, for a move of the line's money, in the line's)."""
        pk = codec.drawdown_key(dd.drawdown_id)["PK"]
        puts = [self._event_put(pk, e) for e in dd.pending_events]
        if line_too:
            puts += [self._line_event(dd.credit_line_id, e) for e in dd.pending_events]
        return puts

    def _drawdown_move(self, dd: Drawdown, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """The move the domain made (Drawdown.moved_from -> status), guarded by the status it started from."""
        if dd.moved_from is None:
            raise ValueError("no move of the drawdown to store")
        sets = ["#status = :to", "version = version + :one", "updated_at = :now"]
        values: dict[str, Any] = {":to": dd.status.value, ":from": dd.moved_from.value, ":one": 1,
                                  ":now": dd.updated_at.isoformat()}
        for i, (name, value) in enumerate((extra or {}).items()):
            sets.append(f"{name} = :x{i}")
            values[f":x{i}"] = value
        return {"Update": {
            "TableName": self._table, "Key": _dump(codec.drawdown_key(dd.drawdown_id)),
            "UpdateExpression": "SET " + ", ".join(sets), "ConditionExpression": "#status = :from",
            "ExpressionAttributeNames": {"#status": "status"}, "ExpressionAttributeValues": _dump(values)}}

    def _stored_move(self, dd: Drawdown) -> None:
        dd.version += 1
        dd.moved_from = None
        dd.pending_events.clear()

    def reserve_limit(self, drawdown: Drawdown) -> None:
        now = utcnow()
        # CreditLine.reservation_refusal's rule, enforced atomically: only the database sees two drawdowns at once
        line_update = {"Update": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(drawdown.credit_line_id)),
            "UpdateExpression": "SET available_fen = available_fen - :amount, version = version + :one",
            "ConditionExpression": "available_fen >= :amount AND #status = :active AND valid_until > :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":amount": drawdown.amount.fen, ":one": 1, ":active": "ACTIVE",
                                                ":now": now.isoformat()})}}
        try:
            self._transact([line_update, self._drawdown_move(drawdown),
                            *self._drawdown_events(drawdown, line_too=True)])
        except ClientError as err:
            if err.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            codes = _cancellation_codes(err)
            if codes and codes[0] == "ConditionalCheckFailed":  # the line refused: the domain says why
                refusal = self.get_credit_line(drawdown.credit_line_id).reservation_refusal(drawdown.amount, now)
                if refusal is not None:
                    raise refusal from err
            raise ConcurrentModificationError("the drawdown is no longer waiting for a reservation") from err
        self._stored_move(drawdown)

    def claim_payout(self, drawdown: Drawdown) -> None:
        if drawdown.payout_started_at is None or not drawdown.pending_events:
            return  # no payout start to store: an earlier attempt stored it
        line_check = {"ConditionCheck": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(drawdown.credit_line_id)),
            "ConditionExpression": "#status = :active", "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":active": "ACTIVE"})}}
        claim = {"Update": {
            "TableName": self._table, "Key": _dump(codec.drawdown_key(drawdown.drawdown_id)),
            "UpdateExpression": "SET payout_started_at = :at",
            "ConditionExpression": "#status = :reserved AND attribute_not_exists(payout_started_at)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":at": drawdown.payout_started_at.isoformat(),
                                                ":reserved": "RESERVED"})}}
        try:
            self._transact([line_check, claim, *self._drawdown_events(drawdown)])
        except ClientError as err:
            if err.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            codes = _cancellation_codes(err)
            if codes and codes[0] == "ConditionalCheckFailed":
                raise CreditLineNotActiveError("the credit line is not active: the payout does not start") from err
            stored = self.get_drawdown(drawdown.drawdown_id)
            if stored.payout_started_at is not None:  # a retry of a claim that was written
                drawdown.payout_started_at = stored.payout_started_at
                drawdown.pending_events.clear()
                return
            raise ConcurrentModificationError("the drawdown is no longer reserved") from err
        drawdown.pending_events.clear()

    def release_reservation(self, drawdown: Drawdown) -> bool:
        line_update = {"Update": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(drawdown.credit_line_id)),
            "UpdateExpression": "SET available_fen = available_fen + :amount, version = version + :one",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeValues": _dump({":amount": drawdown.amount.fen, ":one": 1})}}
        if not self._transact_or_cancelled([
                self._drawdown_move(drawdown, {"failure_reason": drawdown.failure_reason}),
                line_update, *self._drawdown_events(drawdown, line_too=True)]):
            return False  # already released by another worker: compensation happens exactly once
        self._stored_move(drawdown)
        return True

    def save_drawdown(self, drawdown: Drawdown, ledger: LedgerTransaction | None = None) -> None:
        expected = drawdown.version
        drawdown.version = expected + 1
        items = [self._put(self._drawdown_item(drawdown), "version = :expected", {":expected": expected}),
                 *self._drawdown_events(drawdown)]
        if ledger is not None:
            items.append(self._put(codec.ledger_to_item(drawdown.credit_line_id, ledger), "attribute_not_exists(PK)"))
        try:
            self._transact(items)
        except ClientError as err:
            drawdown.version = expected
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConcurrentModificationError("the drawdown changed meanwhile") from err
            raise
        drawdown.moved_from = None
        drawdown.pending_events.clear()

    def book_loan(self, drawdown: Drawdown, loan: Loan) -> bool:
        if not self._transact_or_cancelled([
                self._put(codec.loan_to_item(loan), "attribute_not_exists(PK)"),
                self._put(codec.line_loan_item(loan), "attribute_not_exists(PK)"),
                self._drawdown_move(drawdown, {"loan_id": drawdown.loan_id}),
                *self._drawdown_events(drawdown)]):
            return False
        self._stored_move(drawdown)
        return True

    def get_loan(self, loan_id: str) -> Loan:
        item = self._get(codec.loan_key(loan_id))
        if item is None:
            raise NotFoundError("loan not found", {"loan_id": loan_id})
        return codec.loan_from_item(item)

    def apply_repayment(self, loan: Loan, repayment: dict[str, Any], ledger: list[LedgerTransaction],
                        event: DomainEvent, loan_status: LoanStatus, instalments_paid: int | None = None,
                        overdue_since: str = "", line_change: LineChange | None = None,
                        schedule: tuple[Instalment, ...] | None = None, interest_paid_to: str = "") -> bool:
        """One transaction: the repayment record (permanent idempotency), the loan reduced (conditioned on the
        outstanding principal read, so two repayments can never both apply to the same balance), the line restored
        (never above its limit), the ledger (accrual + repayment) and the event, in the loan's and the line's
        history. A part prepayment also replaces the remaining schedule."""
        assert loan.outstanding_principal is not None
        principal = int(repayment["principal_fen"])
        remaining = loan.outstanding_principal.fen - principal
        status = loan_status.value  # the domain's decision (Loan.status_after_repaying), stored as it is
        line = self.get_credit_line(loan.credit_line_id)
        record = {**codec.repayment_key(repayment["scope"], repayment["idempotency_key"]), "entity": "REPAYMENT",
                  **repayment}
        sets = ["outstanding_principal_fen = :remaining", "#status = :status", "GSI2PK = :index",
                "instalments_paid = :paid", "overdue_since = :overdue"]
        removes = " REMOVE " + _CLAIM_ATTRIBUTES  # the loan is free for the next repayment
        values: dict[str, Any] = {
            ":remaining": remaining, ":before": loan.outstanding_principal.fen, ":status": status,
            ":index": f"LOAN_STATUS#{status}", ":overdue": overdue_since,
            ":paid": loan.instalments_paid if instalments_paid is None else instalments_paid}
        if schedule is not None:
            sets += ["schedule = :schedule", "interest_paid_to = :paid_to"]
            values |= {":schedule": codec.schedule_to_items(schedule), ":paid_to": interest_paid_to}
        loan_update = {"Update": {
            "TableName": self._table, "Key": _dump(codec.loan_key(loan.loan_id)),
            "UpdateExpression": "SET " + ", ".join(sets) + removes,
            "ConditionExpression": "outstanding_principal_fen = :before",
            "ExpressionAttributeNames": {"#status": "status"}, "ExpressionAttributeValues": _dump(values)}}
        uow = self.unit_of_work().put(record, "attribute_not_exists(PK)").add(loan_update)
        most = line.limit.fen - principal  # repaid principal restores the line, never above its limit
        if line_change is None:
            uow.restore_line(loan.credit_line_id, principal, most)
        else:  # and moves it only as the domain decided, from the status it read (the event is the repayment's)
            uow.move_line(line_change, principal, most, with_event=False)
        for txn in ledger:
            uow.put(codec.ledger_to_item(loan.credit_line_id, txn), "attribute_not_exists(PK)")
        return uow.event(codec.loan_key(loan.loan_id)["PK"], event).event(
            codec.credit_line_key(loan.credit_line_id)["PK"], event).commit()

    def close_credit_line(self, line: CreditLine, event: DomainEvent) -> bool:
        update = {"Update": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(line.credit_line_id)),
            "UpdateExpression": "SET #status = :closed, version = version + :one",
            # decided by the database, not by what was read: a drawdown reserving meanwhile keeps the line open
            "ConditionExpression": "available_fen = limit_fen AND #status <> :closed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": _dump({":closed": "CLOSED", ":one": 1})}}
        return self._transact_or_cancelled([update, self._line_event(line.credit_line_id, event)])

    def claim_repayment(self, loan: Loan, claim: RepaymentClaim) -> bool:
        assert loan.outstanding_principal is not None
        try:
            self._client.update_item(
                TableName=self._table, Key=_dump(codec.loan_key(loan.loan_id)),
                UpdateExpression="SET repayment_claim = :id, repayment_claimed_at = :at, "
                                 "repayment_claim_pending = :pending",
                ConditionExpression="outstanding_principal_fen = :quoted AND attribute_not_exists(repayment_claim)",
                ExpressionAttributeValues=_dump({":id": claim.repayment_id, ":at": claim.claimed_at.isoformat(),
                                                 ":pending": claim.pending,
                                                 ":quoted": loan.outstanding_principal.fen}))
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_repayment_claim(self, loan: Loan, repayment_id: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table, Key=_dump(codec.loan_key(loan.loan_id)),
                UpdateExpression="REMOVE " + _CLAIM_ATTRIBUTES,
                ConditionExpression="repayment_claim = :id", ExpressionAttributeValues=_dump({":id": repayment_id}))
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise  # (already released or booked: nothing to do)

    def accrue_interest(self, loan: Loan, number: int, txn: LedgerTransaction | None) -> bool:
        """Instalment ``number`` fell due: its interest is accrued once (the loan's ``accrued_through`` moves from
        number - 1 to number in the same transaction as the ledger entry)."""
        update = {"Update": {
            "TableName": self._table, "Key": _dump(codec.loan_key(loan.loan_id)),
            "UpdateExpression": "SET accrued_through = :number", "ConditionExpression": "accrued_through = :before",
            "ExpressionAttributeValues": _dump({":number": number, ":before": number - 1})}}
        books = [self._put(codec.ledger_to_item(loan.credit_line_id, txn), "attribute_not_exists(PK)")] if txn else []
        return self._transact_or_cancelled([update, *books])

    def mark_overdue(self, loan: Loan, since: str, line: LineChange) -> bool:
        """The loan is late: recorded on the loan, and the line moved as the domain decided, in one transaction."""
        return self.unit_of_work().add(
            {"Update": {"TableName": self._table, "Key": _dump(codec.loan_key(loan.loan_id)),
                        "UpdateExpression": "SET overdue_since = :since",
                        "ConditionExpression": "instalments_paid = :paid",
                        "ExpressionAttributeValues": _dump({":since": since, ":paid": loan.instalments_paid})}},
        ).move_line(line).event(codec.loan_key(loan.loan_id)["PK"], line.event).commit()

    # ---- the daily sweep and the portfolio view -------------------------------------------------------
    def lines_in_shard(self, shard: int) -> list[SweptLine]:
        items = self._query_gsi("GSI2", "GSI2PK", f"SWEEP_SHARD#{shard:02d}", "GSI2SK", "", newest_first=False)
        return [SweptLine(i["credit_line_id"], i["customer_id"], CreditLineStatus(i["status"]), int(i["limit_fen"]),
                          int(i["available_fen"]), datetime.fromisoformat(i["created_at"]),
                          datetime.fromisoformat(i["valid_until"]) if i.get("valid_until") else None) for i in items]

    def loans_of_line(self, customer_id: str, credit_line_id: str) -> list[Loan]:
        """By the line's own partition (one item per loan, written when it is booked): a query of the line, not
        of the customer's index, so the sweep's cost per line does not grow with the table."""
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :loan)", ConsistentRead=True,
            ExpressionAttributeValues=_dump({":pk": codec.credit_line_key(credit_line_id)["PK"], ":loan": "LOAN#"}))
        return [self.get_loan(i["loan_id"]["S"]) for i in page["Items"]]

    def record_review(self, loan: Loan, review: LoanReview, reasons: tuple[str, ...], at: datetime) -> bool:
        key = codec.loan_key(loan.loan_id)
        new, old = codec.review_attributes(review), codec.review_attributes(loan.review)
        names = {f"#{k}": k for k in new}
        values = {**{f":{k}": v for k, v in new.items()}, **{f":old_{k}": v for k, v in old.items()}}
        unchanged = " AND ".join(f"(#{k} = :old_{k} OR attribute_not_exists(#{k}))" for k in new)
        items = [{"Update": {"TableName": self._table, "Key": _dump(key),
                             "UpdateExpression": "SET " + ", ".join(f"#{k} = :{k}" for k in new),
                             "ConditionExpression": unchanged, "ExpressionAttributeNames": names,
                             "ExpressionAttributeValues": _dump(values)}}]
        if review.loan_class != loan.review.loan_class:
            items.append(self._put({"PK": key["PK"], "SK": f"CLASSIFICATION#{at.isoformat()}",
                                    "entity": "LOAN_CLASSIFICATION", "from": loan.review.loan_class,
                                    "to": review.loan_class, "reasons": list(reasons), "at": at.isoformat()},
                                   "attribute_not_exists(PK)"))
        return self._transact_or_cancelled(items)

    def classification_history(self, loan_id: str) -> list[dict[str, Any]]:
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :c)", ConsistentRead=True,
            ExpressionAttributeValues=_dump({":pk": codec.loan_key(loan_id)["PK"], ":c": "CLASSIFICATION#"}))
        return [{k: i[k] for k in ("from", "to", "reasons", "at")} for i in map(_load, page["Items"])]

    def save_shard_figures(self, day: date, shard: int, figures: dict[str, Any]) -> None:
        """The day's figures, and the month's (overwritten each day: the month keeps its last sweep's)."""
        for pk in (f"PORTFOLIO#{day.isoformat()}", f"PORTFOLIO#{day.isoformat()[:7]}"):
            self._client.put_item(TableName=self._table, Item=_dump({
                "PK": pk, "SK": f"SHARD#{shard:02d}", "entity": "PORTFOLIO_SHARD", "day": day.isoformat(),
                "figures": json.dumps(figures)}))

    def shard_figures(self, period: date | str) -> list[dict[str, Any]]:
        key = period.isoformat() if isinstance(period, date) else period
        kwargs: dict[str, Any] = {"TableName": self._table, "KeyConditionExpression": "PK = :pk",
                                  "ExpressionAttributeValues": _dump({":pk": f"PORTFOLIO#{key}"})}
        found: list[dict[str, Any]] = []
        while True:
            page = self._client.query(**kwargs)
            found.extend(json.loads(_load(i)["figures"]) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def ledger_on(self, day: date) -> list[LedgerTransaction]:
        return [codec.ledger_from_item(i) for i in self._query_gsi("GSI2", "GSI2PK", f"LEDGER_DAY#{day.isoformat()}",
                                                                   "GSI2SK", "", newest_first=False)]

    def drawdowns_awaiting_approval(self) -> list[Drawdown]:
        items = self._query_gsi("GSI2", "GSI2PK", "DRAWDOWN_STATUS#AWAITING_APPROVAL", "GSI2SK", "", newest_first=False)
        return [self.get_drawdown(i["drawdown_id"]) for i in items]

    def active_loans(self) -> list[Loan]:
        return [codec.loan_from_item(i) for i in self._query_gsi("GSI2", "GSI2PK", "LOAN_STATUS#ACTIVE", "GSI2SK", "",
                                                                 newest_first=False)]

    def get_repayment(self, scope: str, idempotency_key: str) -> dict[str, Any] | None:
        item = self._get(codec.repayment_key(scope, idempotency_key))
        if item is None:
            return None
        return {k: (int(v) if isinstance(v, Decimal) else v) for k, v in item.items() if k not in ("PK", "SK")}

    def ledger_of(self, credit_line_id: str) -> list[LedgerTransaction]:
        page = self._client.query(TableName=self._table, KeyConditionExpression="PK = :pk",
                                  ExpressionAttributeValues=_dump({":pk": f"LEDGER#{credit_line_id}"}),
                                  ConsistentRead=True)
        return [codec.ledger_from_item(_load(i)) for i in page["Items"]]

    def all_ledger_transactions(self) -> list[LedgerTransaction]:
        out: list[LedgerTransaction] = []
        kwargs: dict[str, Any] = {"TableName": self._table, "FilterExpression": "entity = :e",
                                  "ExpressionAttributeValues": _dump({":e": "LEDGER_TRANSACTION"})}
        while True:
            page = self._client.scan(**kwargs)
            out.extend(codec.ledger_from_item(_load(i)) for i in page["Items"])
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # ---- one-time codes --------------------------------------------------------------------------------
    def get_code(self, application_id: str, purpose: str) -> OneTimeCode | None:
        item = self._get(codec.code_key(application_id, purpose))
        return None if item is None else codec.code_from_item(item)

    def put_code(self, code: OneTimeCode, replaces: OneTimeCode | None) -> bool:
        condition, values = "attribute_not_exists(PK)", None
        if replaces is not None:  # the stored code must still be the one the caller's limits were judged on
            condition, values = "sent_at = :before", {":before": replaces.sent_at.isoformat()}
        try:
            self._client.put_item(TableName=self._table, Item=_dump(codec.code_to_item(code)),
                                  ConditionExpression=condition,
                                  **({"ExpressionAttributeValues": _dump(values)} if values else {}))
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def count_code_attempt(self, application_id: str, purpose: str, max_attempts: int) -> OneTimeCode | None:
        try:
            answer = self._client.update_item(
                TableName=self._table, Key=_dump(codec.code_key(application_id, purpose)),
                UpdateExpression="ADD attempts :one",
                ConditionExpression="attribute_exists(PK) AND attempts < :most",
                ExpressionAttributeValues=_dump({":one": 1, ":most": max_attempts}), ReturnValues="ALL_NEW")
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return codec.code_from_item(_load(answer["Attributes"]))

    def discard_code(self, application_id: str, purpose: str) -> None:
        self._client.delete_item(TableName=self._table, Key=_dump(codec.code_key(application_id, purpose)))

    def is_blacklisted(self, id_number_hash: str) -> bool:
        return self._get({"PK": f"BLACKLIST#{id_number_hash}", "SK": "BLACKLIST"}) is not None

    def add_to_blacklist(self, id_number_hash: str, reason: str) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"BLACKLIST#{id_number_hash}", "SK": "BLACKLIST", "entity": "BLACKLIST", "reason": reason,
            "added_at": utcnow().isoformat()}))

    # ---- the right to a person: reviews of automated decisions (their events in the application's trail) ------
    def add_human_review(self, review: HumanReview) -> bool:
        review.version = 1
        uow = self.unit_of_work().put(codec.human_review_to_item(review), "attribute_not_exists(PK)")
        for event in review.pending_events:
            uow.event(codec.application_key(review.application_id)["PK"], event)
        if not uow.commit():
            return False
        review.pending_events.clear()
        return True

    def get_human_review(self, review_id: str) -> HumanReview:
        item = self._get(codec.human_review_key(review_id))
        if item is None:
            raise NotFoundError("review not found", {"review_id": review_id})
        return codec.human_review_from_item(item)

    def save_human_review(self, review: HumanReview) -> None:
        expected = review.version
        uow = self.unit_of_work().put(codec.human_review_to_item(replace(review, version=expected + 1)),
                                      "version = :v", {":v": expected})
        for event in review.pending_events:
            uow.event(codec.application_key(review.application_id)["PK"], event)
        if not uow.commit():
            raise ConcurrentModificationError("the review changed meanwhile; read it again")
        review.version = expected + 1
        review.pending_events.clear()

    def open_human_reviews(self) -> list[HumanReview]:
        items = self._query_gsi("GSI2", "GSI2PK", "HUMAN_REVIEW_STATUS#OPEN", "GSI2SK", "", newest_first=False)
        return [codec.human_review_from_item(i) for i in items]

    # ---- complaints ----------------------------------------------------------------------------------------
    def add_complaint(self, complaint: Complaint) -> None:
        pk = codec.complaint_key(complaint.complaint_id)["PK"]
        complaint.version = 1
        uow = self.unit_of_work().put(codec.complaint_to_item(complaint), "attribute_not_exists(PK)")
        for event in complaint.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            raise ConcurrentModificationError("the complaint was already received")
        complaint.pending_events.clear()

    def get_complaint(self, complaint_id: str) -> Complaint:
        item = self._get(codec.complaint_key(complaint_id))
        if item is None:
            raise NotFoundError("complaint not found", {"complaint_id": complaint_id})
        return codec.complaint_from_item(item)

    def save_complaint(self, complaint: Complaint) -> None:
        pk, expected = codec.complaint_key(complaint.complaint_id)["PK"], complaint.version
        stored = replace(complaint, version=expected + 1)
        uow = self.unit_of_work().put(codec.complaint_to_item(stored), "version = :v", {":v": expected})
        for event in complaint.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            raise ConcurrentModificationError("the complaint changed meanwhile; read it again")
        complaint.version = expected + 1
        complaint.pending_events.clear()

    def complaints_of(self, customer_id: str) -> list[Complaint]:
        items = self._query_gsi("GSI1", "GSI1PK", f"CUSTOMER#{customer_id}", "GSI1SK", "COMPLAINT#")
        return [codec.complaint_from_item(i) for i in items]

    def open_complaints(self) -> list[Complaint]:
        items = self._query_gsi("GSI2", "GSI2PK", "COMPLAINT_STATUS#OPEN", "GSI2SK", "", newest_first=False)
        return [codec.complaint_from_item(i) for i in items]

    # ---- credit-bureau reports and disputes ---------------------------------------------------------------
    def claim_bureau_report(self, report: BureauReport) -> BureauReport:
        claimed = replace(report, version=1)
        uow = self.unit_of_work().put(codec.bureau_report_to_item(claimed), "attribute_not_exists(PK)")
        if uow.commit():
            report.version = 1
            return report
        item = self._get(codec.bureau_report_key(report.reporting_date))
        assert item is not None
        return codec.bureau_report_from_item(item)

    def save_bureau_report(self, report: BureauReport) -> None:
        expected = report.version
        uow = self.unit_of_work().put(codec.bureau_report_to_item(replace(report, version=expected + 1)),
                                      "version = :v", {":v": expected})
        if not uow.commit():
            raise ConcurrentModificationError("the report changed meanwhile; read it again")
        report.version = expected + 1

    def bureau_reports(self, limit: int = 24) -> list[BureauReport]:
        items = self._query_gsi("GSI2", "GSI2PK", "BUREAU_REPORTS", "GSI2SK", "", limit=limit)
        return [codec.bureau_report_from_item(i) for i in items]

    def add_dispute(self, dispute: CreditDispute) -> None:
        pk = codec.dispute_key(dispute.dispute_id)["PK"]
        dispute.version = 1
        uow = self.unit_of_work().put(codec.dispute_to_item(dispute), "attribute_not_exists(PK)")
        for event in dispute.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            raise ConcurrentModificationError("the dispute was already filed")
        dispute.pending_events.clear()

    def get_dispute(self, dispute_id: str) -> CreditDispute:
        item = self._get(codec.dispute_key(dispute_id))
        if item is None:
            raise NotFoundError("dispute not found", {"dispute_id": dispute_id})
        return codec.dispute_from_item(item)

    def save_dispute(self, dispute: CreditDispute) -> None:
        pk, expected = codec.dispute_key(dispute.dispute_id)["PK"], dispute.version
        uow = self.unit_of_work().put(codec.dispute_to_item(replace(dispute, version=expected + 1)),
                                      "version = :v", {":v": expected})
        for event in dispute.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            raise ConcurrentModificationError("the dispute changed meanwhile; read it again")
        dispute.version = expected + 1
        dispute.pending_events.clear()

    def disputes_with_status(self, status: DisputeStatus) -> list[CreditDispute]:
        items = self._query_gsi("GSI2", "GSI2PK", f"DISPUTE_STATUS#{status.value}", "GSI2SK", "", newest_first=False)
        return [codec.dispute_from_item(i) for i in items]

    def disputes_of(self, customer_id: str) -> list[CreditDispute]:
        items = self._query_gsi("GSI1", "GSI1PK", f"CUSTOMER#{customer_id}", "GSI1SK", "DISPUTE#")
        return [codec.dispute_from_item(i) for i in items]

    # ---- the anti-money-laundering worklist ---------------------------------------------------------------
    def add_aml_case(self, case: AmlCase) -> bool:
        pk = codec.aml_case_key(case.case_id)["PK"]
        case.version = 1
        uow = self.unit_of_work().put(codec.aml_case_to_item(case), "attribute_not_exists(PK)")
        for event in case.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            case.version = 0
            return False
        case.pending_events.clear()
        return True

    def get_aml_case(self, case_id: str) -> AmlCase:
        item = self._get(codec.aml_case_key(case_id))
        if item is None:
            raise NotFoundError("case not found", {"case_id": case_id})
        return codec.aml_case_from_item(item)

    def save_aml_case(self, case: AmlCase) -> None:
        pk, expected = codec.aml_case_key(case.case_id)["PK"], case.version
        uow = self.unit_of_work().put(codec.aml_case_to_item(replace(case, version=expected + 1)),
                                      "version = :v", {":v": expected})
        for event in case.pending_events:
            uow.event(pk, event)
        if not uow.commit():
            raise ConcurrentModificationError("the case changed meanwhile; read it again")
        case.version = expected + 1
        case.pending_events.clear()

    def aml_cases_with_status(self, status: AmlCaseStatus) -> list[AmlCase]:
        items = self._query_gsi("GSI2", "GSI2PK", f"AML_STATUS#{status.value}", "GSI2SK", "", newest_first=False)
        return [codec.aml_case_from_item(i) for i in items]

    # ---- pre-approvals (by the bank's customer number) ----------------------------------------------------
    def pre_approval_of(self, customer_number: str) -> PreApproval | None:
        item = self._get(codec.pre_approval_key(customer_number))
        return None if item is None or item.get("withdrawn") else codec.pre_approval_from_item(item)

    def save_pre_approval(self, pre_approval: PreApproval) -> None:
        self._client.put_item(TableName=self._table, Item=_dump(codec.pre_approval_to_item(pre_approval)))

    def withdraw_pre_approval(self, customer_number: str) -> None:
        """Written over, not deleted: the batch's role may put and update lending records, never delete them."""
        self._client.put_item(TableName=self._table, Item=_dump({
            **codec.pre_approval_key(customer_number), "entity": "PRE_APPROVAL", "withdrawn": True,
            "customer_number": customer_number, "withdrawn_at": utcnow().isoformat()}))

    # ---- a customer's lists -------------------------------------------------------------------------
    def credit_lines_of(self, customer_id: str, limit: int = 50,
                        cursor: str | None = None) -> tuple[list[CreditLineSummary], str | None]:
        items, after = self._customer_page(customer_id, "CREDITLINE#", limit, cursor)
        # an item written before the mask was kept beside the envelope is opened, once, the old way
        return [codec.credit_line_summary_from_item(i) if "payout_account_masked" in i
                else codec.credit_line_from_item(self._sealed.open(i, i["application_id"])).summary()
                for i in items], after

    def drawdowns_of(self, customer_id: str, limit: int = 50,
                     cursor: str | None = None) -> tuple[list[DrawdownSummary], str | None]:
        items, after = self._customer_page(customer_id, "DRAWDOWN#", limit, cursor)
        return [codec.drawdown_summary_from_item(i) if "account_masked" in i
                else codec.drawdown_from_item(self._sealed.open(i, i["drawdown_id"])).summary() for i in items], after

    def loans_of(self, customer_id: str, limit: int = 50, cursor: str | None = None) -> tuple[list[Loan], str | None]:
        items, after = self._customer_page(customer_id, "LOAN#", limit, cursor)
        return [codec.loan_from_item(i) for i in items], after

    def _customer_page(self, customer_id: str, prefix: str, limit: int,
                       cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first from the customer index; the cursor (page_cursors.py) names the sort key of the last item
        shown: the next page is what sorts below it under the same prefix (a key condition, so another
        customer's position reads nothing of this customer's). Returns the next page's cursor."""
        after = page_cursors.position(cursor, prefix)
        values: dict[str, Any] = {":pk": f"CUSTOMER#{customer_id}", ":prefix": prefix}
        if after is None:
            condition = "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)"
        else:
            condition, values[":after"] = "GSI1PK = :pk AND GSI1SK BETWEEN :prefix AND :after", after
        kwargs: dict[str, Any] = {"TableName": self._table, "IndexName": "GSI1", "KeyConditionExpression": condition,
                                  "ExpressionAttributeValues": _dump(values), "ScanIndexForward": False}
        items: list[dict[str, Any]] = []
        while len(items) <= limit:
            page = self._client.query(**kwargs, Limit=limit + 2)
            items.extend(i for i in map(_load, page["Items"]) if i["GSI1SK"] != after)
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        more = len(items) > limit
        items = items[:limit]
        return items, page_cursors.issue(items[-1]["GSI1SK"] if more else None)

