"""A customer's journey through the API, written once and driven two ways: over HTTP against `make run`
(local/demo.py) and through Chalice's test client in the tests. Only the public API is used."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Send = Callable[[str, str, str | None, dict[str, Any] | None, dict[str, str] | None], tuple[int, Any]]
Upload = Callable[[str, dict[str, str], bytes, str], int]

IDCARDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "idcards"
CARD_HOLDERS = {key: value["name"] for key, value in
                json.loads((IDCARDS / "cards.json").read_text(encoding="utf-8")).items()}
CARD_IDS = {key: value["id_number"] for key, value in
            json.loads((IDCARDS / "cards.json").read_text(encoding="utf-8")).items()}
DUE_DILIGENCE = {"nature_of_business": "日用百货零售", "beneficial_owner": "APPLICANT"}
CONSENTS = [{"kind": k, "version": "v1", "granted": True}
            for k in ("PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC")]


def document_file(doc_type: str, card: str) -> tuple[bytes, str]:
    """The synthetic card photos (drawn by tests/fixtures/idcards/draw_cards.py) and a drawn selfie."""
    name = {"ID_CARD_FRONT": f"{card}_front.png", "ID_CARD_BACK": f"{card}_back.png"}.get(doc_type, "selfie.png")
    return (IDCARDS / name).read_bytes(), "image/png"


class ApiError(AssertionError):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}: {json.dumps(body, ensure_ascii=False)[:500]}")
        self.status = status
        self.body = body


# the catalogue's first product (the app lists them all: GET /v1/products); a script names none of its own
DEFAULT_PRODUCT = next(iter(json.loads((Path(__file__).parents[1] / "chalicelib" / "domain" / "catalogue.json")
                                       .read_text(encoding="utf-8"))["products"]))["code"]


def application_body(requested_fen: int = 5_000_000, revenue_fen: int = 50_000_000, years: int = 3,
                     name: str = "张三", phone: str = "13800138000",
                     account: str = "6222021234567890123", product_code: str = DEFAULT_PRODUCT,
                     due_diligence: dict[str, Any] | None = None, business_name: str = "",
                     registration_no: str = "91330100MA2B3C4D5N") -> dict[str, Any]:
    return {
        "product_code": product_code, "requested_amount_fen": requested_fen, "purpose": "进货周转",
        "applicant": {"name": name, "phone": phone},
        "business": {"name": business_name or f"{name}便利店", "registration_no": registration_no,
                     "years_in_business": years, "annual_revenue_fen": revenue_fen},
        "payout_account_no": account, "consents": CONSENTS, "due_diligence": due_diligence or DUE_DILIGENCE,
    }


@dataclass
class Journey:
    send: Send
    upload: Upload
    token: str
    poll_seconds: float = 20.0

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, expect: int | tuple[int, ...] = 200,
             headers: dict[str, str] | None = None) -> Any:
        status, payload = self.send(method, path, self.token, body, headers)
        expected = (expect,) if isinstance(expect, int) else expect
        if status not in expected:
            raise ApiError(status, payload)
        return payload

    def wait_for(self, path: str, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        started = time.monotonic()
        deadline = started + self.poll_seconds
        while True:
            body = self.call("GET", path)
            if done(body):
                return dict(body)
            now = time.monotonic()
            if now > deadline:
                raise AssertionError(f"timed out waiting on {path}: {json.dumps(body, ensure_ascii=False)[:400]}")
            # events are delivered through queues (asynchronously, as on AWS): most land within a second, so
            # ask often at first and then less
            time.sleep(0.05 if now - started < 2 else 0.2)

    # ---- origination -------------------------------------------------------------------------------------
    def profile(self) -> dict[str, Any] | None:
        """The customer's record at the bank as the app reads it, or None for a customer new to the bank."""
        status, body = self.send("GET", "/v1/customer/profile", self.token, None, None)
        if status == 404 and body["error"]["code"] == "CUSTOMER_RECORD_NOT_FOUND":
            return None
        if status != 200:
            raise ApiError(status, body)
        return dict(body)

    def apply_from_record(self, requested_fen: int = 5_000_000, account_id: str | None = None,
                          business: dict[str, Any] | None = None) -> str:
        """A known customer applies as the app lets her: the amount, the purpose, the consents and one of her own
        accounts; the business only where the bank has none on file."""
        profile = self.profile()
        assert profile is not None, "not a customer the bank knows"
        account = account_id or next(a["account_id"] for a in profile["accounts"] if a["can_receive_payout"])
        body: dict[str, Any] = {"product_code": DEFAULT_PRODUCT, "requested_amount_fen": requested_fen,
                                "purpose": "进货周转", "payout_account_id": account, "consents": CONSENTS,
                                "due_diligence": DUE_DILIGENCE}
        if business is not None:
            body["business"] = business
        return str(self.call("POST", "/v1/applications", body, expect=201)["application_id"])

    def apply(self, **kwargs: Any) -> str:
        return str(self.call("POST", "/v1/applications", application_body(**kwargs), expect=201)["application_id"])

    def upload_documents(self, application_id: str, card: str = "valid_zhang",
                         types: tuple[str, ...] = ("ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"),
                         files: dict[str, tuple[bytes, str]] | None = None) -> dict[str, Any]:
        """Uploads each document straight to S3 and waits until it has been read (or refused)."""
        keys = {}
        for doc_type in types:
            data, content_type = (files or {}).get(doc_type) or document_file(doc_type, card)
            post = self.call("POST", f"/v1/applications/{application_id}/documents",
                             {"type": doc_type, "content_type": content_type}, expect=201)
            status = self.upload(post["url"], post["fields"], data, content_type)
            if status not in (200, 201, 204):
                raise AssertionError(f"upload of {doc_type} failed with HTTP {status}")
            keys[doc_type] = post["key"]
        return self.wait_for(f"/v1/applications/{application_id}", lambda b: all(  # these uploads' own answers
            any(d["key"] == keys[t] and d["status"] != "RECEIVED" for d in b["documents"]) for t in types))

    def submit(self, application_id: str) -> dict[str, Any]:
        """Confirms the phone with the SMS code first (as the app asks the customer to), then submits."""
        self.verify_phone(application_id)
        return dict(self.call("POST", f"/v1/applications/{application_id}/submit", expect=202))

    def verify_phone(self, application_id: str) -> None:
        if self.call("GET", f"/v1/applications/{application_id}")["phone_verified"]:
            return
        self.call("POST", f"/v1/applications/{application_id}/phone-verification", expect=202)
        self.call("POST", f"/v1/applications/{application_id}/phone-verification/confirmation",
                  {"otp": self.latest_code("PHONE_VERIFICATION")})

    def wait_status(self, application_id: str, *statuses: str) -> dict[str, Any]:
        return self.wait_for(f"/v1/applications/{application_id}", lambda b: b["status"] in statuses)

    def apply_referred(self, phone: str) -> str:
        """孙丽 (grade D) asks for 150,000 yuan: the decision refers it to officers (two: above 100,000); waited
        for until it is UNDER_REVIEW."""
        referred = self.apply_and_submit(card="refer_sun", requested_fen=15_000_000, revenue_fen=200_000_000,
                                         phone=phone)
        self.wait_status(referred, "UNDER_REVIEW")
        return referred

    def apply_and_submit(self, card: str = "valid_zhang", **kwargs: Any) -> str:
        """The applicant declares the name on the card unless the test says otherwise."""
        kwargs.setdefault("name", CARD_HOLDERS[card])
        application_id = self.apply(**kwargs)
        self.upload_documents(application_id, card)
        self.pass_liveness(application_id)
        self.submit(application_id)
        return application_id

    def pass_liveness(self, application_id: str) -> str:
        """The app runs the liveness check against the session (the local stack's scenario decides the result)."""
        session = self.call("POST", f"/v1/applications/{application_id}/liveness-sessions", expect=201)
        path = f"/v1/applications/{application_id}/liveness-sessions/{session['session_id']}/result"
        result = self.call("POST", path)
        return str(result["outcome"])

    def latest_otp(self) -> str:
        return self.latest_code("CONTRACT_SIGNING_OTP")

    def latest_code(self, template: str) -> str:
        """The newest code of this kind in the customer's dev outbox (the local stage's stand-in for SMS)."""
        messages = self.call("GET", "/v1/dev/outbox")["items"]
        for message in messages:
            if message["template"] == template:
                match = re.search(r"验证码 (\d{6})", message["text"])
                if match:
                    return match.group(1)
        raise AssertionError(f"no {template} code in the dev outbox")

    def accept_and_sign(self, application_id: str) -> dict[str, Any]:
        self.call("POST", f"/v1/applications/{application_id}/offer/acceptance", expect=201)
        self.call("POST", f"/v1/applications/{application_id}/contract/otp", expect=202)
        self.call("POST", f"/v1/applications/{application_id}/contract/signature", {"otp": self.latest_otp()})
        return self.wait_status(application_id, "ACTIVE", "FAILED")

    # ---- servicing ---------------------------------------------------------------------------------------
    def draw(self, credit_line_id: str, amount_fen: int = 1_000_000, term_months: int = 12,
             method: str = "EQUAL_INSTALMENT", account: str = "6222021234567890123",
             key: str | None = None, expect: int | tuple[int, ...] = 202) -> Any:
        return self.call("POST", f"/v1/credit-lines/{credit_line_id}/drawdowns",
                         {"amount_fen": amount_fen, "term_months": term_months, "repayment_method": method,
                          "account_no": account},
                         expect=expect, headers={"Idempotency-Key": key or str(uuid.uuid4())})

    def draw_to_own(self, credit_line_id: str, account_id: str, amount_fen: int = 1_000_000, term_months: int = 12,
                    method: str = "EQUAL_INSTALMENT", expect: int | tuple[int, ...] = 202) -> Any:
        """A drawdown paid into one of her own accounts at the bank, named by its id."""
        return self.call("POST", f"/v1/credit-lines/{credit_line_id}/drawdowns",
                         {"amount_fen": amount_fen, "term_months": term_months, "repayment_method": method,
                          "payout_account_id": account_id},
                         expect=expect, headers={"Idempotency-Key": str(uuid.uuid4())})

    def wait_drawdown(self, drawdown_id: str) -> dict[str, Any]:
        return self.wait_for(f"/v1/drawdowns/{drawdown_id}",
                             lambda b: b["status"] in ("BOOKED", "FAILED", "REJECTED")
                             or (b["failure_reason"] is not None))


def scheduled_run(function: str, fired_at: str) -> Any:
    """The scheduled function invoked as EventBridge invokes it: through Lambda, so it runs with its own role."""
    import boto3

    from local.lambda_runtime import FUNCTION_PREFIX  # the local stack's name for the function

    event = {"version": "0", "id": "local", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": fired_at, "region": "us-east-1", "resources": [], "detail": {}}
    answer = boto3.client("lambda").invoke(FunctionName=FUNCTION_PREFIX + function, Payload=json.dumps(event))
    body = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, body
    return body


def run_sweep(day: str, started: bool = False, timeout: float = 120) -> dict[str, Any]:
    """The day's portfolio sweep on the real state machine (infra/sweep.asl.json), waited for. ``started``: the
    schedule's ``daily_sweep`` already started it (named by the day: once per day, as on AWS); otherwise it is
    started here, as the operator, under a name of its own, so that a day can be swept again locally."""
    import os
    import time

    import boto3

    sfn = boto3.client("stepfunctions")
    machine = os.environ["SWEEP_STATE_MACHINE_ARN"]
    if started:
        arn = machine.replace(":stateMachine:", ":execution:") + f":sweep-{day}"
    else:
        arn = sfn.start_execution(stateMachineArn=machine, name=f"sweep-{day}-{uuid.uuid4().hex[:8]}",
                                  input=json.dumps({"day": day}))["executionArn"]
    deadline = time.monotonic() + timeout
    while True:
        run = sfn.describe_execution(executionArn=arn)
        if run["status"] != "RUNNING":
            assert run["status"] == "SUCCEEDED", run
            return dict(json.loads(run["output"]))
        if time.monotonic() > deadline:
            raise AssertionError(f"the sweep of {day} is still running")
        time.sleep(0.2)


def run_pre_approval(machine: str | None = None, timeout: float = 120) -> dict[str, Any]:
    """The pre-approval batch on its real state machine (infra/pre_approval.asl.json), started as the operator and
    waited for: how many customers were offered a line, of how many. Safe to run again."""
    import os
    import time

    import boto3

    sfn = boto3.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=machine or os.environ["PRE_APPROVAL_STATE_MACHINE_ARN"],
                              name=f"pre-approval-{uuid.uuid4().hex[:12]}", input="{}")["executionArn"]
    deadline = time.monotonic() + timeout
    while True:
        run = sfn.describe_execution(executionArn=arn)
        if run["status"] != "RUNNING":
            assert run["status"] == "SUCCEEDED", run
            segments = json.loads(run["output"])["result"]["segments"]
            return {"offered": sum(s["offered"] for s in segments),
                    "customers": sum(s["offered"] + s["not_offered"] for s in segments),
                    "limit_fen": sum(s["limit_fen"] for s in segments)}
        if time.monotonic() > deadline:
            raise AssertionError("the pre-approval batch is still running")
        time.sleep(0.2)
