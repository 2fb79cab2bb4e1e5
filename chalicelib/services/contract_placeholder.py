"""PLACEHOLDER contract (issue 5 replaces it with a rendered Chinese PDF, PAdES B-LT/B-LTA signatures and a KMS
seal). This writes a small, valid, single-page PDF with the offer's figures (ASCII only) and "signs" it by
appending an incremental update that records who signed with which OTP session - no cryptography."""

from __future__ import annotations

from datetime import datetime

from ..domain.application import LoanApplication

TEMPLATE_VERSION = "placeholder-0"


def _pdf(lines: list[str]) -> bytes:
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("ascii") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def render_contract(app: LoanApplication, now: datetime) -> bytes:
    assert app.offer is not None
    offer = app.offer
    return _pdf([
        "PLACEHOLDER CREDIT LINE AGREEMENT - not a legal contract (issue 5 replaces this document)",
        f"Application: {app.application_id}",
        f"Product: {app.product_code}",
        f"Credit line (fen): {offer.credit_limit.fen}",
        f"Annual rate: {offer.annual_rate}",
        f"Terms (months): {', '.join(str(t) for t in offer.term_months)}",
        f"Repayment methods: {', '.join(m.value for m in offer.repayment_methods)}",
        f"Offer valid until: {offer.valid_until.isoformat()}",
        f"Generated: {now.isoformat()}  Template: {TEMPLATE_VERSION}",
    ])


def placeholder_sign(unsigned: bytes, customer_id: str, now: datetime) -> bytes:
    """Appends a PDF comment recording the signing event. PLACEHOLDER: proves nothing cryptographically."""
    return unsigned + f"% PLACEHOLDER-SIGNATURE customer={customer_id} at={now.isoformat()}\n".encode("ascii")
