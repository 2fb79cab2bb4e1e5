"""Personal data at rest: after a whole journey (application, documents read by OCR, signature, drawdown,
repayment), a dump of every item in the table - what an engineer with read access, a backup or a leaked export
would see - holds none of the customer's name, her business's name, phone, account number, ID number,
address, ethnicity or full birth date in clear. They are sealed (KMS envelope, bound to their application) or
not stored at all."""

import json
import os
from collections.abc import Callable

import boto3

from local.journey import Journey

NAME, PHONE, ACCOUNT = "李梅", "13912345678", "6222027654321098765"
ID_NUMBER, ADDRESS, BIRTH_DATE = "110105197506154029", "北京市朝阳区建国路", "1975-06-15"


def _table_dump() -> str:
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    items, kwargs = [], {"TableName": table}
    while True:
        page = db.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return json.dumps(items, ensure_ascii=False)
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _holding(secret: str) -> list[str]:
    """Where a secret is found: each item's keys and the attributes that hold it (for the failure message)."""
    found = []
    for item in json.loads(_table_dump()):
        hits = [k for k, v in item.items() if secret in json.dumps(v, ensure_ascii=False)]
        if hits:
            found.append(f"{item['PK']['S']}/{item['SK']['S']}: {hits}")
    return found


def test_a_table_dump_after_a_whole_journey_holds_no_name_phone_account_id_number_or_address(
        journey: Callable[[str], Journey]) -> None:
    bob = journey("carol")
    app_id = bob.apply_and_submit(card="longterm_li", name=NAME, phone=PHONE, account=ACCOUNT)
    bob.wait_status(app_id, "OFFERED")
    line_id = bob.accept_and_sign(app_id)["credit_line_id"]
    drawdown = bob.wait_drawdown(bob.draw(line_id, account=ACCOUNT)["drawdown_id"])
    quote = bob.call("POST", f"/v1/loans/{drawdown['loan_id']}/repayment-quote")
    bob.call("POST", f"/v1/loans/{drawdown['loan_id']}/repayments", {"quoted_total_fen": quote["total_fen"]},
             headers={"Idempotency-Key": f"at-rest-{app_id[-12:]}"})
    dump = _table_dump()
    assert app_id in dump and line_id in dump  # the dump is real
    for secret in (NAME, PHONE, ACCOUNT, ID_NUMBER, ADDRESS, BIRTH_DATE, '"ethnicity"'):
        assert secret not in dump, f"{secret!r} is stored in clear: " + ", ".join(_holding(secret))
    # what the customer sees is still whole where it must be: her own masked numbers
    application = bob.call("GET", f"/v1/applications/{app_id}")
    assert application["identity"]["birth_date"].startswith("1975")
    assert bob.call("GET", f"/v1/credit-lines/{line_id}")["payout_account_masked"] == "****8765"
    # her name is masked where it is shown, in her business's name too (李梅便利店: the journey's business)
    assert application["applicant_name_masked"] == "李*"
    assert application["business_name_masked"] == "李*便利店"
