"""One commit that spans aggregates, as one DynamoDB transaction.

A warning and the line it freezes, a repayment and the line it restores, a late loan and the line it freezes: each
aggregate's writer adds its items (with the conditions that say "as I read it") to a ``DynamoDbUnitOfWork`` and
the last one commits them together - all written, or none. How a line's move is stored is written here once, for
every writer: the status only from the status the domain read it in, the limit cut only while as much is
available, the line's version counted up, the move's event in the line's history."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.credit_line import LineChange
from ..domain.events import DomainEvent
from . import dynamodb_codec as codec
from .dynamodb_codec import dump_item as _dump

TRANSACTION_ITEMS_MAX = 100  # DynamoDB's limit for one TransactWriteItems


class DynamoDbUnitOfWork:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table
        self._items: list[dict[str, Any]] = []

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self._items)

    def add(self, *items: dict[str, Any]) -> DynamoDbUnitOfWork:
        self._items.extend(items)
        return self

    def put(self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None) -> DynamoDbUnitOfWork:
        put: dict[str, Any] = {"TableName": self._table, "Item": _dump(item), "ConditionExpression": condition}
        if values:
            put["ExpressionAttributeValues"] = _dump(values)
        return self.add({"Put": put})

    def event(self, pk: str, event: DomainEvent) -> DynamoDbUnitOfWork:
        """An event in an aggregate's history, written once (the event id is in the key)."""
        return self.put(codec.event_to_item(pk, event), "attribute_not_exists(PK)")

    def move_line(self, change: LineChange, restore_fen: int = 0, restore_most_fen: int = 0,
                  with_event: bool = True) -> DynamoDbUnitOfWork:
        """The line's move as the domain decided it. ``restore_fen`` (repaid principal) gives that much back to
        the available amount, never above the limit (``restore_most_fen``: the limit less the amount restored)."""
        assert not (change.reduction_fen and restore_fen), "one SET may not name available_fen twice"
        sets, conditions = ["#status = :new", "version = version + :one"], ["#status = :expected"]
        values: dict[str, Any] = {":new": change.new.value, ":expected": change.expected.value, ":one": 1}
        if change.reduction_fen:  # never below what is drawn: decided by the database, not by the read
            sets += ["limit_fen = limit_fen - :cut", "available_fen = available_fen - :cut"]
            conditions.append("available_fen >= :cut")
            values[":cut"] = change.reduction_fen
        if restore_fen:
            sets.append("available_fen = available_fen + :restored")
            conditions.append("available_fen <= :most")
            values |= {":restored": restore_fen, ":most": restore_most_fen}
        self.add({"Update": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(change.credit_line_id)),
            "UpdateExpression": "SET " + ", ".join(sets), "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": {"#status": "status"}, "ExpressionAttributeValues": _dump(values)}})
        if with_event:
            self.event(codec.credit_line_key(change.credit_line_id)["PK"], change.event)
        return self

    def restore_line(self, credit_line_id: str, restore_fen: int, restore_most_fen: int) -> DynamoDbUnitOfWork:
        """Repaid principal back to a line whose status does not move."""
        return self.add({"Update": {
            "TableName": self._table, "Key": _dump(codec.credit_line_key(credit_line_id)),
            "UpdateExpression": "SET available_fen = available_fen + :restored, version = version + :one",
            "ConditionExpression": "available_fen <= :most",
            "ExpressionAttributeValues": _dump({":restored": restore_fen, ":most": restore_most_fen, ":one": 1})}})

    def commit(self, request_token: str | None = None) -> bool:
        """Everything gathered, in one transaction. False when a condition cancelled it (nothing was written: the
        caller's "already done" or "changed meanwhile"); other errors are raised."""
        assert 0 < len(self._items) <= TRANSACTION_ITEMS_MAX, len(self._items)
        kwargs: dict[str, Any] = {"TransactItems": self._items}
        if request_token:
            kwargs["ClientRequestToken"] = request_token
        try:
            self._client.transact_write_items(**kwargs)
        except ClientError as err:
            if err.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        finally:
            self._items = []
        return True
