"""A sample contract for people to look at: rendered, signed (moto KMS seal + the local test CA), verified, and
page 1 drawn to PNG with poppler's pdftoppm. `make contract-preview` -> build/contract-preview/.
The same sample serves the tests and the benchmark."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chalicelib.domain.contract import AgreementFacts, worked_example
from chalicelib.domain.contract_templates import agreement_for
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import disclose
from chalicelib.domain.repayment_method import RepaymentMethod

ROOT = Path(__file__).resolve().parent.parent


def sample_facts(today: date | None = None) -> AgreementFacts:
    today = today or date(2026, 11, 29)
    methods = tuple(RepaymentMethod)
    limit, rate, terms = Money.yuan(50_000), Decimal("0.0450"), (3, 6, 12, 24, 36)
    example = worked_example(limit, rate, terms, methods, today)
    return AgreementFacts(
        contract_no="HT20261129SAMPLE01", lender_name="本地演示农村商业银行股份有限公司",
        lender_address="演示县人民路1号",
        borrower_name="张三", borrower_id_masked="110105********0018", borrower_phone_masked="138****8000",
        business_name="张三五金店", credit_limit=limit, annual_rate=rate, apr=example.apr, term_months=terms,
        repayment_methods=methods, line_months=12, default_interest_multiple=Decimal("1.5"),
        offer_valid_until=date(2026, 12, 6), generated_on=today, example=example, lender_service_phone="96888",
        example_price=disclose(example.amount, rate, list(example.instalments)))


def signing_kit(pki_dir: Path, kms: Any = None) -> tuple[Any, Any]:
    """(ContractSigning over a KMS seal key and the local test CA in pki_dir, the moto context to stop or None).
    Without a KMS client it starts moto in-process - only where no moto server runs in this process, as stopping
    it resets moto's shared backends (tests pass the local stack's KMS client instead)."""
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.pdf_contract_signing import PdfContractSigning

    mock = None
    if kms is None:
        mock = mock_aws()
        mock.start()
        kms = boto3.client("kms", region_name="us-east-1")
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    return PdfContractSigning(kms, key_id, pki_dir), mock


def main(out_dir: str) -> int:
    out = ROOT / out_dir
    out.mkdir(parents=True, exist_ok=True)
    signing, mock = signing_kit(ROOT / ".local" / "pki")
    try:
        started = time.perf_counter()
        unsigned = signing.render(agreement_for(sample_facts()))
        rendered = time.perf_counter()
        signed, records = signing.sign(unsigned, "张三", "110105********0018", datetime.now(UTC))
        done = time.perf_counter()
        report = signing.verify(signed)
    finally:
        if mock is not None:
            mock.stop()
    (out / "contract-unsigned.pdf").write_bytes(unsigned)
    (out / "contract-signed.pdf").write_bytes(signed)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                    str(out / "contract-signed.pdf"), str(out / "page-1")], check=True)
    print(f"rendered in {1000 * (rendered - started):.0f} ms, signed in {1000 * (done - rendered):.0f} ms")
    for r in records:
        print(f"  {r.field:<17} {r.signer}  timestamp {r.timestamp_at}")
    print(f"verification: {report.summary} (PAdES {report.pades_level})")
    print(f"wrote {out}/contract-unsigned.pdf, contract-signed.pdf, page-1.png")
    return 0 if report.valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/contract-preview"))
