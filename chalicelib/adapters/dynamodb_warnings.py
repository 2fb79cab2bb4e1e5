"""Post-loan warnings in the lending table.

Items: the warning (``WARNING#<id>`` / ``WARNING``, listed by status on GSI2); the line's pointer to its one open
warning (``<line PK>`` / ``OPEN_WARNING``, created only if absent: two signals racing to open a warning for the
same line cannot both succeed); the line's settled causes (``<line PK>`` / ``SETTLED_CAUSES``, a string set).
A warning's causes and history are stored as JSON text: their evidence holds ratios and free-form source fields
that DynamoDB's number type would not keep as written."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..domain.credit_line import LineChange
from ..domain.early_warning import Cause, EarlyWarning, HistoryEntry, Level, Source, WarningStatus
from ..domain.errors import ConcurrentModificationError, NotFoundError
from ..domain.events import DomainEvent
from ..ports import WarningStore
from . import dynamodb_codec as codec
from .dynamodb_codec import dump_item as _dump
from .dynamodb_codec import load_item as _load
from .dynamodb_unit_of_work import DynamoDbUnitOfWork

OPEN_POINTER = "OPEN_WARNING"
SETTLED = "SETTLED_CAUSES"


def warning_key(warning_id: str) -> dict[str, str]:
    return {"PK": f"WARNING#{warning_id}", "SK": "WARNING"}


def _cause_dict(c: Cause) -> dict[str, Any]:
    return {"cause_key": c.cause_key, "rule": c.rule, "level": c.level.name, "source": c.source.value,
            "first_seen": c.first_seen.isoformat(), "evidence": c.evidence}


def _cause_from(c: dict[str, Any]) -> Cause:
    return Cause(c["cause_key"], c["rule"], Level[c["level"]], Source(c["source"]),
                 datetime.fromisoformat(c["first_seen"]), c["evidence"])


def warning_to_item(w: EarlyWarning) -> dict[str, Any]:
    return {
        **warning_key(w.warning_id), "entity": "EARLY_WARNING", "warning_id": w.warning_id,
        "customer_id": w.customer_id, "credit_line_id": w.credit_line_id, "level": w.level.name,
        "status": w.status.value, "opened_at": w.opened_at.isoformat(), "task_due_at": w.task_due_at.isoformat(),
        "causes": json.dumps([_cause_dict(c) for c in w.causes], ensure_ascii=False),
        "history": json.dumps([h.to_dict() for h in w.history], ensure_ascii=False), "version": w.version,
        "GSI2PK": f"WARNING_STATUS#{w.status.value}", "GSI2SK": f"{w.level.value}#{w.opened_at.isoformat()}",
    }


def warning_from_item(item: dict[str, Any]) -> EarlyWarning:
    return EarlyWarning(
        warning_id=item["warning_id"], customer_id=item["customer_id"], credit_line_id=item["credit_line_id"],
        level=Level[item["level"]], opened_at=datetime.fromisoformat(item["opened_at"]),
        task_due_at=datetime.fromisoformat(item["task_due_at"]),
        causes=[_cause_from(c) for c in json.loads(item["causes"])],
        status=WarningStatus(item["status"]), history=[HistoryEntry.from_dict(h) for h in json.loads(item["history"])],
        version=int(item["version"]))


class DynamoDbWarningStore(WarningStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        answer = self._client.get_item(TableName=self._table, Key=_dump(key), ConsistentRead=True)
        return _load(answer["Item"]) if "Item" in answer else None

    def open_warning_of_line(self, credit_line_id: str) -> EarlyWarning | None:
        pointer = self._get({"PK": codec.credit_line_key(credit_line_id)["PK"], "SK": OPEN_POINTER})
        return None if pointer is None else self.get_warning(pointer["warning_id"])

    def open_warnings_of_lines(self, credit_line_ids: list[str]) -> dict[str, EarlyWarning]:
        """Two batched reads whatever the page holds: the lines' open pointers, then the warnings they name."""
        pointers = self._batch_get([{"PK": codec.credit_line_key(i)["PK"], "SK": OPEN_POINTER}
                                    for i in dict.fromkeys(credit_line_ids)])
        by_line = {p["PK"].split("#", 1)[1]: p["warning_id"] for p in pointers}
        warnings = {w["warning_id"]: warning_from_item(w)
                    for w in self._batch_get([warning_key(w) for w in dict.fromkeys(by_line.values())])}
        return {line: warnings[w] for line, w in by_line.items() if w in warnings}

    def _batch_get(self, keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):  # BatchGetItem's limit
            request = {self._table: {"Keys": [_dump(k) for k in keys[start:start + 100]], "ConsistentRead": True}}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                found += [_load(i) for i in answer["Responses"].get(self._table, [])]
                request = answer.get("UnprocessedKeys") or {}
        return found

    def settled_causes(self, credit_line_id: str) -> frozenset[str]:
        item = self._get({"PK": codec.credit_line_key(credit_line_id)["PK"], "SK": SETTLED})
        return frozenset(item["causes"]) if item else frozenset()

    def get_warning(self, warning_id: str) -> EarlyWarning:
        item = self._get(warning_key(warning_id))
        if item is None:
            raise NotFoundError("warning not found")
        return warning_from_item(item)

    def save_warning(self, warning: EarlyWarning, line_change: LineChange | None = None,
                     settle: tuple[str, ...] = (), audit: DomainEvent | None = None) -> None:
        line_pk = codec.credit_line_key(warning.credit_line_id)["PK"]
        stored = {**warning_to_item(warning), "version": warning.version + 1}
        items: list[dict[str, Any]] = []
        if warning.version == 0:  # a new warning: and the line's only open one
            items.append(self._put(stored, "attribute_not_exists(PK)"))
            items.append(self._put({"PK": line_pk, "SK": OPEN_POINTER, "warning_id": warning.warning_id},
                                   "attribute_not_exists(PK)"))
        else:
            items.append(self._put(stored, "version = :v", {":v": warning.version}))
        if warning.status is WarningStatus.CLOSED:
            items.append({"Delete": {"TableName": self._table, "Key": _dump({"PK": line_pk, "SK": OPEN_POINTER}),
                                     "ConditionExpression": "warning_id = :id",
                                     "ExpressionAttributeValues": _dump({":id": warning.warning_id})}})
        if settle:
            items.append({"Update": {"TableName": self._table, "Key": _dump({"PK": line_pk, "SK": SETTLED}),
                                     "UpdateExpression": "ADD causes :keys",
                                     "ExpressionAttributeValues": {":keys": {"SS": sorted(set(settle))}}}})
        uow = DynamoDbUnitOfWork(self._client, self._table).add(*items)
        if line_change is not None:  # the line moved as the domain decided, in the warning's transaction
            uow.move_line(line_change)
        if audit is not None:
            uow.event(warning_key(warning.warning_id)["PK"], audit)
        if not uow.commit():
            raise ConcurrentModificationError("the warning or its line changed meanwhile; read again")
        warning.version += 1

    def warnings(self, status: WarningStatus | None = None) -> list[EarlyWarning]:
        statuses = [status] if status else list(WarningStatus)
        found: list[EarlyWarning] = []
        for one in statuses:
            kwargs: dict[str, Any] = {
                "TableName": self._table, "IndexName": "GSI2", "KeyConditionExpression": "GSI2PK = :pk",
                "ExpressionAttributeValues": _dump({":pk": f"WARNING_STATUS#{one.value}"}),
                "ScanIndexForward": False}  # the strongest level first, then the newest
            while True:
                page = self._client.query(**kwargs)
                found.extend(warning_from_item(_load(i)) for i in page["Items"])
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found

    def monitoring_state(self, customer_id: str) -> dict[str, Any]:
        item = self._get({"PK": f"CUSTOMER#{customer_id}", "SK": "MONITORING"})
        return dict(json.loads(item["state"])) if item else {}

    def save_monitoring_state(self, customer_id: str, state: dict[str, Any]) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"CUSTOMER#{customer_id}", "SK": "MONITORING", "entity": "CUSTOMER_MONITORING",
            "state": json.dumps(state, ensure_ascii=False)}))

    def note_subject_record(self, subject_hash: str, cause: Cause, cleared: bool) -> None:
        key = {"PK": f"SUBJECT#{subject_hash}", "SK": f"RECORD#{cause.cause_key}"}
        if cleared:
            self._client.delete_item(TableName=self._table, Key=_dump(key))
            return
        self._client.put_item(TableName=self._table, Item=_dump({
            **key, "entity": "SUBJECT_RECORD", "cause": json.dumps(_cause_dict(cause), ensure_ascii=False)}))

    def subject_records(self, subject_hash: str) -> list[Cause]:
        page = self._client.query(
            TableName=self._table, KeyConditionExpression="PK = :pk AND begins_with(SK, :rec)",
            ExpressionAttributeValues=_dump({":pk": f"SUBJECT#{subject_hash}", ":rec": "RECORD#"}),
            ConsistentRead=True)
        causes = [_cause_from(json.loads(_load(i)["cause"])) for i in page["Items"]]
        return sorted(causes, key=lambda c: c.first_seen)

    def count_grade(self, month: str, population: str, grade: str) -> None:
        self._client.update_item(
            TableName=self._table, Key=_dump({"PK": f"MODEL_MONITORING#{month}", "SK": population}),
            UpdateExpression="ADD #grade :one", ExpressionAttributeNames={"#grade": f"grade_{grade}"},
            ExpressionAttributeValues=_dump({":one": 1}))

    def grade_counts(self, month: str, population: str) -> dict[str, int]:
        item = self._get({"PK": f"MODEL_MONITORING#{month}", "SK": population}) or {}
        return {k.removeprefix("grade_"): int(v) for k, v in item.items() if k.startswith("grade_")}

    def _put(self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": _dump(item), "ConditionExpression": condition}
        if values:
            put["ExpressionAttributeValues"] = _dump(values)
        return {"Put": put}
