"""The identity register in the lending table: which customer holds an ID number (one conditional put), where
phones, devices and ID numbers were seen (one item per sighting, counted by a query over a time window), and the
staff register of officers' ID number hashes. Only keyed hashes are stored, never a number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from ..ports import IdentityRegister

_ser = TypeSerializer()


def _dump(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in item.items()}


class DynamoDbIdentityRegister(IdentityRegister):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def bind_identity(self, id_number_hash: str, customer_id: str) -> str:
        key = {"PK": f"IDENTITY#{id_number_hash}", "SK": "HOLDER"}
        try:
            self._client.put_item(
                TableName=self._table, Item=_dump({**key, "entity": "IDENTITY_HOLDER", "customer_id": customer_id}),
                ConditionExpression="attribute_not_exists(PK) OR customer_id = :me",
                ExpressionAttributeValues=_dump({":me": customer_id}))
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            item = self._client.get_item(TableName=self._table, Key=_dump(key), ConsistentRead=True)["Item"]
            return str(item["customer_id"]["S"])
        return customer_id

    def record_sighting(self, kind: str, value_hash: str, application_id: str, at: datetime) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"SEEN#{kind}#{value_hash}", "SK": f"APPLICATION#{application_id}", "entity": "SIGHTING",
            "seen_at": at.isoformat()}))

    def applications_seen(self, kind: str, value_hash: str, since: datetime) -> int:
        count, kwargs = 0, {
            "TableName": self._table, "KeyConditionExpression": "PK = :pk", "FilterExpression": "seen_at >= :since",
            "ExpressionAttributeValues": _dump({":pk": f"SEEN#{kind}#{value_hash}", ":since": since.isoformat()}),
            "Select": "COUNT", "ConsistentRead": True}
        while True:
            page = self._client.query(**kwargs)
            count += int(page["Count"])
            if "LastEvaluatedKey" not in page:
                return count
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def account_verified(self, customer_id: str, account_hash: str) -> bool:
        return "Item" in self._client.get_item(TableName=self._table, ConsistentRead=True, Key=_dump(
            {"PK": f"PAYEE#{customer_id}", "SK": f"ACCOUNT#{account_hash}"}))

    def record_account_verified(self, customer_id: str, account_hash: str, reference: str, at: datetime) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"PAYEE#{customer_id}", "SK": f"ACCOUNT#{account_hash}", "entity": "VERIFIED_PAYEE",
            "reference": reference, "verified_at": at.isoformat()}))

    def staff_identity(self, officer_id: str) -> str | None:
        item = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                     Key=_dump({"PK": f"STAFF#{officer_id}", "SK": "STAFF"})).get("Item")
        return str(item["id_number_hash"]["S"]) if item else None

    def register_staff(self, officer_id: str, id_number_hash: str) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"STAFF#{officer_id}", "SK": "STAFF", "entity": "STAFF", "id_number_hash": id_number_hash}))

    def holder_of(self, id_number_hash: str) -> str | None:
        item = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                     Key=_dump({"PK": f"IDENTITY#{id_number_hash}", "SK": "HOLDER"})).get("Item")
        return str(item["customer_id"]["S"]) if item else None

    def bind_business(self, registration_hash: str, customer_id: str) -> None:
        self._client.put_item(TableName=self._table, Item=_dump({
            "PK": f"BUSINESS#{registration_hash}", "SK": f"CUSTOMER#{customer_id}", "entity": "BUSINESS_BORROWER",
            "customer_id": customer_id}))

    def business_holders(self, registration_hash: str) -> list[str]:
        page = self._client.query(TableName=self._table, KeyConditionExpression="PK = :pk", ConsistentRead=True,
                                  ExpressionAttributeValues=_dump({":pk": f"BUSINESS#{registration_hash}"}))
        return sorted(str(i["customer_id"]["S"]) for i in page["Items"])
