"""The local stage's SMS gateway: messages are written to a dev outbox in DynamoDB instead of being sent, and
``GET /v1/dev/outbox`` shows a customer their own. Only the local stage wires this adapter."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ..domain.business_date import utcnow
from ..observability import mask_phone
from ..ports import Notifier, OutboxMessage

_ser, _deser = TypeSerializer(), TypeDeserializer()


class DynamoDbOutboxNotifier(Notifier):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def send_sms(self, customer_id: str, phone: str, template: str, text: str) -> None:
        now = utcnow()
        message_id = uuid.uuid4().hex
        item = {"PK": f"OUTBOX#{customer_id}", "SK": f"{now.isoformat()}#{message_id}", "entity": "OUTBOX",
                "message_id": message_id, "customer_id": customer_id, "channel": "SMS",
                "destination_masked": mask_phone(phone), "template": template, "text": text,
                "sent_at": now.isoformat()}
        self._client.put_item(TableName=self._table, Item={k: _ser.serialize(v) for k, v in item.items()})

    def outbox(self, customer_id: str) -> list[OutboxMessage]:
        page = self._client.query(TableName=self._table, KeyConditionExpression="PK = :pk",
                                  ExpressionAttributeValues={":pk": {"S": f"OUTBOX#{customer_id}"}},
                                  ScanIndexForward=False, Limit=50)
        rows = [{k: _deser.deserialize(v) for k, v in i.items()} for i in page["Items"]]
        return [OutboxMessage(r["message_id"], r["customer_id"], r["channel"], r["destination_masked"],
                              r["template"], r["text"], datetime.fromisoformat(r["sent_at"])) for r in rows]
