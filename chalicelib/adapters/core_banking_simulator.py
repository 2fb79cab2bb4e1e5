"""SIMULATOR of the bank's core banking system, for the local stage only (the real core is an integration with
the bank behind the same ``CoreBanking`` port; on other stages ``not_connected.NotConnectedCoreBanking`` refuses
every payout).

It records each payout and collection in DynamoDB under its id with a conditional put, so a second ``pay`` for the
same drawdown can never pay twice: it returns the first payment's reference. Outcomes are selected by the payee
account's last digits (documented in the README): ``0000`` refused, ``0001`` pays then times out, ``0002`` times
out before paying; anything else pays.
"""

from __future__ import annotations

import uuid
from typing import Any

from botocore.exceptions import ClientError

from ..domain.business_date import utcnow
from ..domain.errors import DisbursementOutcomeUnknownError, DisbursementRefusedError, RepaymentRefusedError
from ..domain.money import Money
from ..ports import CoreBanking

REFUSED_ACCOUNT_SUFFIX = "0000"
# Selectable outcomes by the payee account's last four digits (local stage only):
#   ...0000 refused for good; ...0001 the first attempt pays, then times out (the answer is lost);
#   ...0002 the first attempt times out without paying; ...0009 pays out, but the account is empty: every
#   collection is refused until it is topped up (``top_up``: the demo's loan that falls overdue and is collected or
#   recovered later); anything else pays.
TIMEOUT_AFTER_PAYING_SUFFIX = "0001"
TIMEOUT_WITHOUT_PAYING_SUFFIX = "0002"
EMPTY_UNTIL_TOPPED_UP_SUFFIX = "0009"


class SimulatedCoreBanking(CoreBanking):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _first_attempt(self, drawdown_id: str) -> bool:
        try:
            self._client.put_item(TableName=self._table, ConditionExpression="attribute_not_exists(PK)",
                                  Item={"PK": {"S": f"CORE_BANKING_SIM#{drawdown_id}"}, "SK": {"S": "ATTEMPTED"}})
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        if account_no.endswith(REFUSED_ACCOUNT_SUFFIX):
            raise DisbursementRefusedError("the payee account is closed", {"core_code": "ACCOUNT_CLOSED"})
        first = self._first_attempt(drawdown_id)
        if first and account_no.endswith(TIMEOUT_WITHOUT_PAYING_SUFFIX):
            raise DisbursementOutcomeUnknownError("core banking timed out (nothing was paid)")
        reference = self._record_payout(drawdown_id, amount)
        if first and account_no.endswith(TIMEOUT_AFTER_PAYING_SUFFIX):
            raise DisbursementOutcomeUnknownError("core banking timed out (after paying)")
        return reference

    def _record_payout(self, drawdown_id: str, amount: Money) -> str:
        reference = f"CBS{uuid.uuid4().hex[:16].upper()}"
        try:
            self._client.put_item(
                TableName=self._table,
                Item={"PK": {"S": f"CORE_BANKING_SIM#{drawdown_id}"}, "SK": {"S": "PAYOUT"},
                      "reference": {"S": reference}, "amount_fen": {"N": str(amount.fen)},
                      "paid_at": {"S": utcnow().isoformat()}},
                ConditionExpression="attribute_not_exists(PK)")
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            existing = self.outcome(drawdown_id)
            assert existing is not None
            return existing
        return reference

    def outcome(self, drawdown_id: str) -> str | None:
        item = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                     Key={"PK": {"S": f"CORE_BANKING_SIM#{drawdown_id}"}, "SK": {"S": "PAYOUT"}})
        return item["Item"]["reference"]["S"] if "Item" in item else None

    def top_up(self, account_no: str) -> None:
        """The empty account (...0009) receives money: its collections succeed from now on."""
        self._client.put_item(TableName=self._table, Item={"PK": {"S": f"CORE_BANKING_SIM#FUNDED#{account_no}"},
                                                           "SK": {"S": "FUNDED"}})

    def _empty(self, account_no: str) -> bool:
        if not account_no.endswith(EMPTY_UNTIL_TOPPED_UP_SUFFIX):
            return False
        key = {"PK": {"S": f"CORE_BANKING_SIM#FUNDED#{account_no}"}, "SK": {"S": "FUNDED"}}
        return "Item" not in self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)

    def collect(self, repayment_id: str, account_no: str, amount: Money) -> str:
        if account_no.endswith(REFUSED_ACCOUNT_SUFFIX):
            raise RepaymentRefusedError("the account cannot be debited", {"core_code": "ACCOUNT_CLOSED"})
        if self._empty(account_no):
            raise RepaymentRefusedError("the account has too little money", {"core_code": "INSUFFICIENT_FUNDS"})
        reference = f"CBC{uuid.uuid4().hex[:16].upper()}"
        key = {"PK": {"S": f"CORE_BANKING_SIM#COLLECT#{repayment_id}"}, "SK": {"S": "COLLECTION"}}
        try:
            self._client.put_item(TableName=self._table, Item={**key, "reference": {"S": reference},
                                                                "amount_fen": {"N": str(amount.fen)}},
                                  ConditionExpression="attribute_not_exists(PK)")
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            item = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)["Item"]
            return str(item["reference"]["S"])
        return reference

    def collection_outcome(self, repayment_id: str) -> str | None:
        item = self._client.get_item(TableName=self._table, ConsistentRead=True, Key={
            "PK": {"S": f"CORE_BANKING_SIM#COLLECT#{repayment_id}"}, "SK": {"S": "COLLECTION"}})
        return item["Item"]["reference"]["S"] if "Item" in item else None

    def statement(self) -> list[dict[str, Any]]:
        """The simulator's own book: a scan of its records (it is small; the real core sends a daily file)."""
        out: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": self._table, "FilterExpression": "begins_with(PK, :p)",
                                  "ExpressionAttributeValues": {":p": {"S": "CORE_BANKING_SIM#"}}}
        while True:
            page = self._client.scan(**kwargs)
            for item in page["Items"]:
                pk, sk = item["PK"]["S"], item["SK"]["S"]
                if sk == "PAYOUT":
                    out.append({"kind": "PAYOUT", "id": pk.removeprefix("CORE_BANKING_SIM#"),
                                "amount_fen": int(item["amount_fen"]["N"])})
                elif sk == "COLLECTION":
                    out.append({"kind": "COLLECTION", "id": pk.removeprefix("CORE_BANKING_SIM#COLLECT#"),
                                "amount_fen": int(item["amount_fen"]["N"])})
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def payouts_count(self, drawdown_id: str) -> int:
        return 0 if self.outcome(drawdown_id) is None else 1
