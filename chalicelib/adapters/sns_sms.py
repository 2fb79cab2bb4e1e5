"""The deployed stages' SMS gateway: Amazon SNS direct publish to a phone number, as a transactional message.
SNS takes numbers in E.164 (+86 and the 11-digit mainland mobile number); the application stores the number as
the customer typed it (validated as a mainland mobile), so it is converted here, at the edge."""

from __future__ import annotations

import re
from typing import Any

from ..ports import Notifier, OutboxMessage

_MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def e164(phone: str) -> str:
    """+86 and the number; a number already in E.164 is kept. Anything else is refused, never guessed at."""
    digits = phone.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+86") and _MAINLAND_MOBILE.match(digits[3:]):
        return digits
    if _MAINLAND_MOBILE.match(digits):
        return f"+86{digits}"
    raise ValueError("not a mainland mobile number")


class SnsSmsNotifier(Notifier):
    def __init__(self, client: Any) -> None:
        self._sns = client

    def send_sms(self, customer_id: str, phone: str, template: str, text: str) -> None:
        self._sns.publish(PhoneNumber=e164(phone), Message=text,
                          MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String",
                                                                      "StringValue": "Transactional"}})

    def outbox(self, customer_id: str) -> list[OutboxMessage]:
        return []  # a real gateway keeps no readable outbox; the dev route is absent in prod
