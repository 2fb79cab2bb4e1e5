"""No personal data in logs: everything printed while a whole journey runs (API, workflow steps, event handlers,
the embedded AWS) is captured and searched for the customer's ID-like numbers, phone, name and account."""

import io
import logging
import re
from collections.abc import Callable

from local.journey import Journey

NAME, PHONE, ACCOUNT = "李梅", "13912345678", "6222027654321098765"
ID_NUMBER_READ, ADDRESS = "110105197506154029", "北京市朝阳区建国路"  # on the card (longterm_li)
REGISTRATION = "91330100MA2B3C4D5N"
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _captured(run: Callable[[], str]) -> str:
    lending_logger = logging.getLogger("lending")
    structured = io.StringIO()
    handler = logging.StreamHandler(structured)
    handler.setFormatter(lending_logger.handlers[0].formatter)
    lending_logger.addHandler(handler)
    try:
        printed = run()
    finally:
        lending_logger.removeHandler(handler)
    return printed + structured.getvalue()


def test_the_known_customers_journey_logs_nothing_of_her_record(journey: Callable[[str], Journey],  # type: ignore[no-untyped-def]
                                                                capfd) -> None:
    """alice from her record at the bank: the profile, the application, a newer card, a payout into her own
    account, a complaint and a request for a person's review print nothing of her record."""
    def run() -> str:
        alice = journey("alice")
        profile = alice.profile()
        assert profile is not None
        app_id = alice.apply_from_record()
        alice.upload_documents(app_id, "valid_zhang")
        alice.pass_liveness(app_id)
        alice.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
        alice.wait_status(app_id, "OFFERED")
        line_id = alice.accept_and_sign(app_id)["credit_line_id"]
        own = next(a["account_id"] for a in profile["accounts"] if a["can_receive_payout"])
        alice.wait_drawdown(alice.draw_to_own(line_id, own)["drawdown_id"])
        alice.call("POST", "/v1/complaints", {"category": "SERVICE", "text": "我的手机号13800138000收不到短信"},
                   expect=201)
        out, err = capfd.readouterr()
        return out + err

    printed = _captured(run)
    assert "application created" in printed
    for secret in ("张三", "13800138000", "6222021234567890123", "330102199001010012", REGISTRATION):
        assert secret not in printed, f"{secret!r} reached the logs"
    assert not MOBILE.findall(printed) and not ID_NUMBER.findall(printed)


def test_a_whole_journey_logs_no_personal_data(journey: Callable[[str], Journey], capfd) -> None:  # type: ignore[no-untyped-def]
    lending_logger = logging.getLogger("lending")  # Powertools' logger: its exact JSON lines are what CloudWatch gets
    structured = io.StringIO()
    handler = logging.StreamHandler(structured)
    handler.setFormatter(lending_logger.handlers[0].formatter)
    lending_logger.addHandler(handler)
    try:
        printed = _run_journey(journey, capfd)
    finally:
        lending_logger.removeHandler(handler)
    printed += structured.getvalue()
    assert "application created" in printed and "correlation_id" in printed  # the logs were captured at all
    for secret in (NAME, PHONE, ACCOUNT, REGISTRATION, ID_NUMBER_READ, ADDRESS):
        assert secret not in printed, f"{secret!r} reached the logs"
    assert not MOBILE.findall(printed)
    assert not ID_NUMBER.findall(printed)


def _run_journey(journey: Callable[[str], Journey], capfd) -> str:  # type: ignore[no-untyped-def]
    bob = journey("carol")
    app_id = bob.apply_and_submit(card="longterm_li", name=NAME, phone=PHONE, account=ACCOUNT)
    bob.wait_status(app_id, "OFFERED")
    line_id = bob.accept_and_sign(app_id)["credit_line_id"]
    bob.wait_drawdown(bob.draw(line_id, 1_000_000, account=ACCOUNT)["drawdown_id"])
    bob.send("POST", "/v1/applications", bob.token, {"applicant": {"name": NAME, "phone": PHONE}}, None)  # a 422
    out, err = capfd.readouterr()
    return out + err
