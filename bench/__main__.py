"""`make bench`: figures for the foundation, measured on this machine and printed (never asserted in tests).

- cold import of the API function's module (app.py) in a fresh interpreter: what a Lambda cold start pays;
- Cognito access-token verification in the authorizer (keys cached, as in a warm container);
- one authenticated API read through the real app and moto, and one schedule computation;
- submit -> OFFERED through the whole origination workflow on moto, and drawdown -> BOOKED;
- a customer's list of applications with 1, 20 and 100 of them, as a container that has just started reads it
  (no envelope remembered), with the reads and KMS calls it cost: a list costs one query per page of 50;
- a burst of 100 simultaneous POSTs against the local server as `make run` serves it, connection resets counted;
- post-loan monitoring: a court record delivered -> the line FROZEN (through S3, the queue and the handler on
  moto); the daily sweep's rate per line in memory over 100,000 drawn lines (the code's own cost) and through
  the real state machine on moto over 2,000 lines (the emulator's cost per call dominates there).

Only figures are printed: what the code itself writes on stdout (Powertools' embedded-metric lines, which it
publishes by itself every 100 values) is sent to /dev/null for the run."""

from __future__ import annotations

import builtins
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_FIGURES = sys.stdout  # where the figures go; main() sends everything else on stdout away
print = functools.partial(builtins.print, file=_FIGURES, flush=True)  # this module prints figures, only there


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float], unit: str = "ms") -> None:
    scale = {"ms": 1e3, "us": 1e6, "s": 1}[unit]
    median = statistics.median(samples) * scale
    p90 = sorted(samples)[int(len(samples) * 0.9) - 1] * scale if len(samples) >= 10 else max(samples) * scale
    print(f"  {name:<58} median {median:9.2f} {unit}   p90 {p90:9.2f} {unit}   n={len(samples)}")


def cold_import() -> None:
    """As the package ships it (bytecode compiled at packaging) and from source (what a zip without it pays)."""
    code = "import time; t=time.perf_counter(); import app; print(time.perf_counter()-t)"
    with tempfile.TemporaryDirectory() as compiled, tempfile.TemporaryDirectory() as never_written:
        env = {**os.environ, "STAGE": "prod", "PYTHONPYCACHEPREFIX": compiled}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, check=True, capture_output=True)
        for name, run_env in (("from bytecode, as packaged", env),
                              ("from source", {**env, "PYTHONPYCACHEPREFIX": never_written,
                                               "PYTHONDONTWRITEBYTECODE": "1"})):
            samples = []
            for _ in range(9):
                out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=run_env,
                                     capture_output=True, text=True, check=True)
                samples.append(float(out.stdout.strip().splitlines()[-1]))
            report(f"cold import of app.py, {name}", samples)
    packaged_cold_import()


def packaged_cold_import() -> None:
    """What Lambda runs: the deployment zip (make package) under python3.12, nothing else on the path."""
    import shutil
    import zipfile

    package = ROOT / "build" / "sam" / "deployment.zip"
    # as package.sh finds it: pyenv's shim answers only for the version it has selected
    python = next(iter(sorted(Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))), None) or shutil.which(
        "python3.12")
    if not package.exists() or python is None:
        print("  cold import of the deployment zip: run make package first (needs python3.12)")
        return
    code = "import sys, time; sys.path.insert(0, '.'); t=time.perf_counter(); import app; print(time.perf_counter()-t)"
    with tempfile.TemporaryDirectory() as task:
        zipfile.ZipFile(package).extractall(task)
        samples = []
        for _ in range(9):
            out = subprocess.run([str(python), "-s", "-c", code], cwd=task, capture_output=True, text=True, check=True,
                                 env={"STAGE": "prod", "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.environ["PATH"]})
            samples.append(float(out.stdout.strip().splitlines()[-1]))
        report("cold import of the deployment zip (python3.12, as Lambda)", samples)


def risk_bench() -> None:
    """The risk model: one score (features, trees, reasons) and batch throughput (vectorised, with reasons)."""
    import numpy as np

    from chalicelib.scoring.features import features
    from chalicelib.scoring.model import RiskModel
    from ml.batch import BatchScorer
    from tests.unit.test_batch_scoring import synthetic_rows

    model = RiskModel.load()
    rows = synthetic_rows(5000)
    report("single score with reasons (pure Python, no scikit-learn)",
           timed(lambda: model.assess(rows[0]), 2000), "us")
    x = np.array([features(r) for r in rows])
    scorer = BatchScorer(model)
    samples = timed(lambda: scorer.pd_and_reasons(x), 5)
    report("batch of 5,000 rows, PD + reasons (vectorised)", samples)
    print(f"  {'batch throughput':<58} {5000 / statistics.median(samples):,.0f} rows/s")


def ocr_bench() -> None:
    """Identity: OCR + parse per ID card side with the local engine (models loaded once, as in a warm container)."""
    from chalicelib.adapters.rapidocr_ocr import RapidOcr
    from chalicelib.domain.idcard_parser import parse_back, parse_front

    cards = ROOT / "tests" / "fixtures" / "idcards"
    front, back = (cards / "valid_zhang_front.png").read_bytes(), (cards / "valid_zhang_back.png").read_bytes()
    RapidOcr().read(front)  # load the models
    report("OCR + parse, ID card front (RapidOCR, 856x540)",
           timed(lambda: parse_front(RapidOcr(cache_size=0)._read(front)), 7))
    report("OCR + parse, ID card back", timed(lambda: parse_back(RapidOcr(cache_size=0)._read(back)), 7))


def contract_bench() -> None:
    """Contracts: render one contract, sign it (borrower + KMS seal on moto in-process + archive timestamp, with the
    self-check that it validates), verify it again - warm, as in a container that has signed before."""
    from datetime import UTC, datetime

    from chalicelib.domain.contract_templates import agreement_for
    from local.contract_preview import sample_facts, signing_kit

    signing, mock = signing_kit(ROOT / ".local" / "pki")
    try:
        agreement = agreement_for(sample_facts())
        unsigned = signing.render(agreement)
        signed, _ = signing.sign(unsigned, "张三", "110105********0018", datetime.now(UTC))  # warm-up
        pades = signing._pades()  # the adapter's signer, to time signing without the self-check
        report("render contract PDF (reportlab, CJK subset embedded)", timed(lambda: signing.render(agreement), 10))
        report("sign: borrower + KMS seal + archive timestamp", timed(
            lambda: pades.sign_unchecked(unsigned, "张三", "110105********0018", datetime.now(UTC)), 10))
        report("render + sign, per contract (target < 150 ms)", timed(lambda: pades.sign_unchecked(
            signing.render(agreement), "张三", "110105********0018", datetime.now(UTC)), 10))
        report("render + sign + self-check (what the service does)", timed(lambda: signing.sign(
            signing.render(agreement), "张三", "110105********0018", datetime.now(UTC)), 10))
        report("verify a signed contract (embedded data only)", timed(lambda: signing.verify(signed), 10))
    finally:
        mock.stop()  # (before the bench's own moto stack starts: stopping resets moto's shared backends)


def sweep_in_memory(lines: int = 100_000) -> None:
    """The sweep's own cost per line (auto-debit check, signals, classification, figures) with the in-memory
    repository: no I/O, so what remains is the code's work. Every line drawn, 2% of loans overdue."""
    import logging
    from datetime import UTC, datetime, timedelta

    from chalicelib.domain.credit_line import CreditLine
    from chalicelib.domain.loan import Loan, build_schedule
    from chalicelib.domain.money import Money
    from chalicelib.domain.portfolio import SWEEP_SHARDS
    from chalicelib.domain.repayment_method import RepaymentMethod
    from chalicelib.domain.schedules import add_months
    from chalicelib.services.monitoring import sweep
    from tests.conftest import build_memory_deps
    from tests.unit.test_services import active_line

    logging.getLogger("lending").setLevel(logging.WARNING)
    deps = build_memory_deps()
    application_id = deps.repo.get_credit_line(active_line(deps)).application_id  # one real application (SMS)
    now = deps.clock.now()
    today = deps.clock.today()
    method = RepaymentMethod.EQUAL_INSTALMENT
    for i in range(lines):
        line_id = f"line_bench{i:07d}"
        deps.repo.lines[line_id] = CreditLine(  # type: ignore[attr-defined]
            credit_line_id=line_id, customer_id=f"c{i}", application_id=application_id, limit=Money(5_000_000),
            available=Money(4_000_000), annual_rate=Decimal("0.0720"), term_months=(12,), repayment_methods=(method,),
            payout_account_no="6222021234567890123", valid_until=now + timedelta(days=300),
            created_at=now - timedelta(days=20))
        overdue = i % 50 == 0
        start = add_months(today - timedelta(days=40), -1) if overdue else today - timedelta(days=10)
        schedule = build_schedule(Money(1_000_000), Decimal("0.0720"), 12, method, start)
        deps.repo.loans[f"loan_b{i}"] = Loan(  # type: ignore[attr-defined]
            f"loan_b{i}", f"dd_b{i}", line_id, f"c{i}", Money(1_000_000), Decimal("0.0720"), 12, method, start,
            schedule, overdue_since=schedule[0].due_date if overdue else None,
            accrued_through=sum(1 for x in schedule if x.due_date <= today), created_at=datetime.now(UTC))
    deps.core_banking.refuse_collections = True  # type: ignore[attr-defined]
    start_time = time.perf_counter()
    for shard in range(SWEEP_SHARDS):
        sweep.sweep_shard(deps, shard, today)
    elapsed = time.perf_counter() - start_time
    print(f"  {'daily sweep, in memory, ' + format(lines, ',') + ' drawn lines (2% overdue)':<58} "
          f"{lines / elapsed:,.0f} lines/s   ({elapsed:.1f} s)")


def list_bench(bob: Any) -> None:
    """GET /v1/applications paged through (50 a page) by a container that has just started: the settings, the
    adapters and every remembered envelope forgotten before each sample (bootstrap.reset), the clients kept."""
    from chalicelib import bootstrap

    calls: list[str] = []

    def listing() -> None:
        bootstrap.reset()
        deps = bootstrap.deps()
        for client in (deps.repo._client, deps.cipher._kms):  # type: ignore[attr-defined]
            client.meta.events.register("before-call", lambda model, **_: calls.append(model.name),
                                        unique_id="bench-count")
        calls.clear()
        cursor = ""
        while cursor is not None:
            cursor = bob.call("GET", "/v1/applications?limit=50" + (f"&cursor={cursor}" if cursor else ""))[
                "next_cursor"]

    made = 0
    for wanted in (1, 20, 100):
        while made < wanted:
            bob.apply()
            made += 1
        samples = timed(listing, 15)
        print(f"  {f'GET /v1/applications, {wanted} items (all pages, cold caches)':<58} "
              f"median {statistics.median(samples) * 1e3:9.2f} ms   "
              f"{calls.count('Query')} queries, {sum(c in ('Decrypt', 'GenerateDataKey') for c in calls)} KMS calls")


def _burst(url: str, clients: int) -> tuple[list[float], int]:
    """``clients`` POSTs released at once (a barrier), each on its own connection: their times and the resets."""
    import threading

    import requests

    start = threading.Barrier(clients)
    latencies: list[float] = []
    resets: list[str] = []

    def post() -> None:
        start.wait()
        begun = time.perf_counter()
        try:
            requests.post(url, data=b"{}", timeout=60, headers={"Content-Type": "application/json"})
        except requests.ConnectionError as err:
            resets.append(type(err).__name__)  # list.append is atomic: no lock needed
            return
        latencies.append(time.perf_counter() - begun)

    threads = [threading.Thread(target=post) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(resets)


def burst_bench(clients: int = 100, then: Callable[[str], None] | None = None) -> None:
    """The local server as `make run` serves it, as a developer testing retries meets it: resets are connections
    its listen backlog refused. ``then`` runs against the same server (one chalice local per process)."""
    from local.stack import free_port, serve_api

    port = free_port()
    server = serve_api("127.0.0.1", port)
    quiet, sys.stderr = sys.stderr, open(os.devnull, "w", encoding="utf-8")  # http.server logs each request there
    try:
        for _ in range(3):
            latencies, resets = _burst(f"http://127.0.0.1:{port}/v1/session", clients)
            slowest = max(latencies) * 1e3 if latencies else float("nan")
            print(f"  {f'burst of {clients} simultaneous POSTs, local server':<58} "
                  f"median {statistics.median(latencies) * 1e3:9.2f} ms   slowest {slowest:9.2f} ms   "
                  f"resets {resets}")
        if then is not None:
            then(f"http://127.0.0.1:{port}")
    finally:
        sys.stderr = quiet
        server.shutdown()


def main() -> None:
    warnings.filterwarnings("ignore", "No application metrics")
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # the code's own output (metric lines) goes nowhere
    print(f"foundation benchmarks (this machine: {os.cpu_count()} cores)")
    cold_import()

    from chalicelib.domain.loan import build_schedule
    from chalicelib.domain.money import Money
    from chalicelib.domain.repayment_method import RepaymentMethod

    report("36-month equal-instalment schedule", timed(lambda: build_schedule(
        Money(30_000_000), Decimal("0.0720"), 36, RepaymentMethod.EQUAL_INSTALMENT, date(2026, 1, 31)), 2000), "us")

    risk_bench()
    sweep_in_memory()
    ocr_bench()
    contract_bench()
    os.environ.setdefault("STAGE", "local")
    # the same customer applies again and again here: the velocity rule would (rightly) refer her
    os.environ.setdefault("VELOCITY_MAX_APPLICATIONS", "1000")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("lending").setLevel(logging.WARNING)
    from chalice.test import Client

    import app
    from chalicelib.api.auth import verifier
    from local import chalice_shim
    from local.journey import Journey
    from local.stack import Stack, free_port
    from tests.conftest import upload

    stack = Stack(moto_port=free_port()).start()
    chalice_shim.install()
    try:
        token = stack.token("alice")
        verifier().verify(token)
        report("access-token verification (JWKS cached)", timed(lambda: verifier().verify(token), 2000), "us")
        with Client(app.app, stage_name="local") as client:
            def send(method, path, tok, body, headers):  # type: ignore[no-untyped-def]
                import json

                h = {"Content-Type": "application/json", "Authorization": f"Bearer {tok}", **(headers or {})}
                r = client.http.request(method, path, headers=h, body=json.dumps(body) if body else None)
                return r.status_code, json.loads(r.body) if r.body else None

            alice = Journey(send, upload, token)
            app_id = alice.apply()
            report("GET /v1/applications/{id} (authorizer + DynamoDB on moto)",
                   timed(lambda: alice.call("GET", f"/v1/applications/{app_id}"), 200))
            list_bench(Journey(send, upload, stack.token("bob")))
            origination, drawdown = [], []
            for _ in range(5):
                app_id = alice.apply()
                alice.upload_documents(app_id)
                alice.pass_liveness(app_id)
                alice.verify_phone(app_id)
                start = time.perf_counter()
                alice.submit(app_id)
                alice.wait_status(app_id, "OFFERED")
                origination.append(time.perf_counter() - start)
                line_id = alice.accept_and_sign(app_id)["credit_line_id"]
                start = time.perf_counter()
                alice.wait_drawdown(alice.draw(line_id)["drawdown_id"])
                drawdown.append(time.perf_counter() - start)
            report("submit -> OFFERED (origination workflow on moto)", origination)
            report("drawdown -> BOOKED (drawdown workflow on moto)", drawdown)
            monitoring_bench(alice, Journey(send, upload, stack.token("olivia")), line_id)
        pre_approval_bench()
        from bench.h5_journey import h5_journey_bench

        tokens = {user: stack.token(user) for user in ("carol", "alice")}
        burst_bench(then=lambda url: h5_journey_bench(url, tokens, print))
    finally:
        stack.stop()


def synthetic_customers(count: int) -> Any:
    """``count`` customers of the bank, a third of them strong enough to be pre-approved (deterministic)."""
    from chalicelib.domain.customer_record import AccountMonth, BankAccount, CustomerRecord
    from tests.fakes.memory import MemoryCustomerRecords

    records = MemoryCustomerRecords()
    months = ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    for i in range(count):
        strength = (i % 3 + 1) * 2_500_000  # 25,000 / 50,000 / 75,000 yuan a month
        account = BankAccount(f"acct_{i:020x}", f"62220{i:014d}", "I", "ACTIVE",
                              tuple(AccountMonth(m, strength, strength, strength) for m in months))
        records.add(f"login-{i}", CustomerRecord(f"88{i:011d}", "张三", "330102199001010012", None, "13800138000",
                                                 3, date(2012 + i % 12, 1, 1), (account,)))
    return records


def pre_approval_bench(count: int = 20_000, on_moto: int = 2_000) -> None:
    """The pre-approval batch: in memory (the rule and the loop), then on moto through its state machine (16
    segments, each a Lambda writing to DynamoDB), then what 2 million customers would take on AWS."""
    from types import SimpleNamespace

    from chalicelib import bootstrap
    from chalicelib.services.origination import pre_approvals
    from local.journey import run_pre_approval
    from tests.conftest import settings_for_tests
    from tests.fakes.memory import FixedClock, MemoryRepository

    deps = SimpleNamespace(clock=FixedClock(), customer_records=synthetic_customers(count), repo=MemoryRepository(),
                           settings=settings_for_tests())
    start = time.perf_counter()
    offered = sum(pre_approvals.run_segment(deps, s)["offered"] for s in range(pre_approvals.PRE_APPROVAL_SEGMENTS))
    seconds = time.perf_counter() - start
    per_customer = seconds / count
    print(f"  {'pre-approval batch, in memory, ' + format(count, ',') + ' customers':<58} "
          f"{count / seconds:,.0f} customers/s   ({offered:,} offered)")
    bootstrap.override(customer_records=synthetic_customers(on_moto))
    start = time.perf_counter()
    batch = run_pre_approval(timeout=600)
    seconds = time.perf_counter() - start
    bootstrap.reset()
    print(f"  {'pre-approval batch, state machine on moto, ' + format(on_moto, ',') + ' customers':<58} "
          f"{batch['customers'] / seconds:,.0f} customers/s   ({seconds:.1f} s)")
    # On paper: each customer is one read of the bank's record and one DynamoDB write, one after another in its
    # segment. At 5 ms a write and 10 ms a record read on AWS, 2 million customers in 64 segments (32 at a time)
    # is 31,250 a segment: (15 ms + the rule) each, under Lambda's 900 s.
    segments = pre_approvals.PRE_APPROVAL_SEGMENTS
    per_segment = 2_000_000 / segments * (0.015 + per_customer)
    print(f"  {'pre-approval, on paper: 2,000,000 customers on AWS':<58} "
          f"{per_segment:,.0f} s a segment ({segments} segments; Lambda's limit 900 s), "
          f"{per_segment * segments / 32 / 60:,.0f} min in all at 32 at a time")


def monitoring_bench(alice: object, olivia: object, line_id: str) -> None:
    """A court record through the real event path (the dev route writes it as the feed; S3 notifies the queue;
    the handler freezes the line), then the officer unfreezes it; and the sweep on the real state machine."""
    from datetime import UTC, datetime

    from chalicelib import bootstrap
    from chalicelib.adapters import dynamodb_codec as codec
    from chalicelib.domain.business_date import business_date
    from local.journey import CARD_IDS, run_sweep
    from tests.workflow.test_daily_sweep import LINES, seed_portfolio

    latencies = []
    for i in range(10):
        start = time.perf_counter()
        alice.call("POST", "/v1/dev/external-records", {  # type: ignore[attr-defined]
            "source": "JUDICIAL", "id_number": CARD_IDS["valid_zhang"],
            "record": {"kind": "DISHONEST_DEBTOR", "case_no": f"bench-{line_id[-6:]}-{i}"}}, expect=202)
        alice.wait_for(f"/v1/credit-lines/{line_id}", lambda b: b["status"] == "FROZEN")  # type: ignore[attr-defined]
        latencies.append(time.perf_counter() - start)
        warning = next(w for w in olivia.call("GET", "/v1/admin/warnings")["items"]  # type: ignore[attr-defined]
                       if w["credit_line_id"] == line_id)
        olivia.call("POST", f"/v1/admin/warnings/{warning['warning_id']}/disposition",  # type: ignore[attr-defined]
                    {"action": "FALSE_ALARM", "comment": "bench: not this customer"})
    report("court record -> line FROZEN (S3 -> SQS -> handler on moto)", latencies)
    template = bootstrap.deps().repo._get(codec.credit_line_key(line_id))  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    seed_portfolio({**template, "status": "ACTIVE"}, now)
    start = time.perf_counter()
    run_sweep(business_date(now).isoformat(), timeout=900)
    elapsed = time.perf_counter() - start
    print(f"  {'daily sweep, state machine on moto, ' + format(LINES, ',') + ' lines':<58} "
          f"{LINES / elapsed:,.0f} lines/s   ({elapsed:.1f} s; 64 shards)")


if __name__ == "__main__":
    main()
