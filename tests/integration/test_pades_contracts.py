"""Signed contracts checked the hard way: pyHanko with only the file's embedded validation data and the test trust
root; one changed byte anywhere; a foreign trust root; a signature whose event certificate has long expired (the
point of PAdES LTV); and two independent validators - OpenSSL's CMS verification over each signature's byte range
and poppler's pdfsig - that must agree."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from chalicelib.adapters.local_test_ca import LocalTestCa
from chalicelib.adapters.pyhanko_pades import verify
from chalicelib.domain.contract_templates import agreement_for
from local.contract_preview import sample_facts, signing_kit

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def kit(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """A seal key in the local stack's KMS (moto server) and a test CA of this module's own."""
    import boto3

    pki = tmp_path_factory.mktemp("pki")
    kms = boto3.session.Session(region_name=stack.region).client("kms", endpoint_url=stack.endpoint)
    signing, _ = signing_kit(pki, kms)
    yield signing, pki


@pytest.fixture(scope="module")
def contract(kit: tuple[Any, Path]) -> tuple[bytes, bytes]:
    signing, _ = kit
    unsigned = signing.render(agreement_for(sample_facts()))
    signed, _ = signing.sign(unsigned, "张三", "110105********0018", datetime.now(UTC))
    return unsigned, signed


def root_of(pki: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate((pki / "root.pem").read_bytes())


def test_every_signature_validates_with_only_the_embedded_data(kit: tuple[Any, Path],
                                                              contract: tuple[bytes, bytes]) -> None:
    _, pki = kit
    unsigned, signed = contract
    report = verify(signed, [root_of(pki)])
    assert report.valid and report.intact and not report.modified_after_last_signature, report.summary
    assert report.pades_level == "B-LTA"
    assert [c.field for c in report.signatures] == ["Borrower", "BankSeal", "ArchiveTimestamp"]
    assert all(c.valid and c.timestamp_at for c in report.signatures)
    times = [c.timestamp_at for c in report.signatures]
    assert times == sorted(times) and len(set(times)) == 3  # borrower, then seal, then archive: in order
    assert "张三 110105********0018" in report.signatures[0].signer  # the event certificate names name + masked ID
    assert b"/DSS" in signed and b"/ETSI.RFC3161" in signed and b"/ETSI.CAdES.detached" in signed
    assert signed.startswith(unsigned)  # incremental updates: the reviewed bytes are untouched


def test_a_foreign_trust_root_is_not_trusted(contract: tuple[bytes, bytes], tmp_path: Path) -> None:
    stranger = LocalTestCa(tmp_path / "other").root.certificate
    report = verify(contract[1], [stranger])
    assert not report.valid and report.intact  # the bytes are fine; the signers are not trusted


def test_one_changed_byte_anywhere_makes_validation_fail(kit: tuple[Any, Path],
                                                         contract: tuple[bytes, bytes]) -> None:
    _, pki = kit
    signed = contract[1]
    rng = random.Random(20261129)
    positions = sorted({0, 100, len(contract[0]) // 2, len(contract[0]) - 10, len(signed) - 1,
                        *(rng.randrange(len(signed)) for _ in range(24))})
    for position in positions:
        tampered = bytearray(signed)
        tampered[position] = (tampered[position] + 1) % 256
        report = verify(bytes(tampered), [root_of(pki)])
        assert not report.valid, f"a change at byte {position} of {len(signed)} went unnoticed"


def test_a_mangled_date_inside_an_embedded_certificate_is_an_invalid_signature_not_a_crash(
        kit: tuple[Any, Path], contract: tuple[bytes, bytes]) -> None:
    """The test above once hit a changed byte that made a UTCTime unparseable, and the check of the signatures'
    unsigned parts raised instead of failing validation (positions depend on the day's timestamps). Whatever
    cannot be parsed is now an invalid signature; this pins one such change down."""
    _, pki = kit
    signed = contract[1]
    (_, length, end, _), _ = _signatures(signed)[0]  # the first signature's /Contents: hex between the ranges
    contents = signed[length:end]
    found = re.search(rb"170[dD]3[0-9]3[0-9]", contents)  # a UTCTime (tag 0x17, 13 bytes), written as hex digits
    assert found is not None
    at = length + found.start() + 4
    tampered = bytearray(signed)
    tampered[at + 2] = ord("4")  # its second character becomes 0x4_: a letter, not a digit
    report = verify(bytes(tampered), [root_of(pki)])
    assert not report.valid


def test_a_signature_outlives_its_one_day_event_certificate(kit: tuple[Any, Path]) -> None:
    """Signed (and timestamped) ten days ago: the event certificate expired nine days ago, yet the contract
    still validates - as of its timestamp, with the CRL embedded then (PAdES LTV)."""
    signing, pki = kit
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    signed, records = signing.sign(signing.render(agreement_for(sample_facts())), "张三", "110105********0018",
                                   ten_days_ago)
    assert records[0].timestamp_at is not None and records[0].timestamp_at < datetime.now(UTC) - timedelta(days=9)
    report = verify(signed, [root_of(pki)])
    assert report.valid, report.summary


def _signatures(pdf: bytes) -> list[tuple[list[int], bytes]]:
    """(ByteRange, CMS DER) of each signature dictionary, read straight from the bytes (no PDF library)."""
    out = []
    for match in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf):
        ranges = [int(g) for g in match.groups()]
        contents = pdf[ranges[0] + ranges[1]:ranges[2]].strip(b"<> \n")
        der = bytes.fromhex(contents.decode())
        length_bytes = der[1] & 0x7F  # DER SEQUENCE with a long-form length: cut the zero padding after it
        total = 2 + length_bytes + int.from_bytes(der[2:2 + length_bytes], "big")
        out.append((ranges, der[:total]))
    return out


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_verifies_each_signature_over_its_byte_range(kit: tuple[Any, Path], contract: tuple[bytes, bytes],
                                                             tmp_path: Path) -> None:
    _, pki = kit
    signed = contract[1]
    root = tmp_path / "root.pem"
    root.write_bytes(root_of(pki).public_bytes(serialization.Encoding.PEM))
    found = _signatures(signed)
    assert len(found) == 3  # borrower, bank seal, archive timestamp
    for index, (ranges, der) in enumerate(found[:2]):  # the two CMS signatures (the third is a timestamp token)
        content, sig = tmp_path / f"content{index}.bin", tmp_path / f"sig{index}.der"
        content.write_bytes(signed[ranges[0]:ranges[0] + ranges[1]] + signed[ranges[2]:ranges[2] + ranges[3]])
        sig.write_bytes(der)
        ok = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(sig),
                             "-content", str(content), "-CAfile", str(root), "-purpose", "any", "-out", "/dev/null"],
                            capture_output=True, text=True)
        assert ok.returncode == 0, ok.stderr
        content.write_bytes(content.read_bytes()[:-1] + b"X")  # and one byte changed: OpenSSL refuses it too
        bad = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(sig),
                              "-content", str(content), "-CAfile", str(root), "-purpose", "any", "-out", "/dev/null"],
                             capture_output=True, text=True)
        assert bad.returncode != 0


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_poppler_pdfsig_agrees(contract: tuple[bytes, bytes], tmp_path: Path) -> None:
    """pdfsig exits 0 even on a digest mismatch, so its words are read, not its exit code. Poppler 22 checks the
    two CAdES signatures (not document timestamps, which it lists as unverified); its trust store lacks our test
    root, so only the signatures' integrity is asked of it."""
    signed = contract[1]
    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    output = subprocess.run(["pdfsig", str(good)], capture_output=True, text=True).stdout
    assert output.count("Signature is Valid.") == 2 and "ETSI.CAdES.detached" in output, output
    tampered = bytearray(signed)
    tampered[len(contract[0]) // 2] ^= 0x01
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(tampered))
    output = subprocess.run(["pdfsig", str(bad)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in output, output


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils not installed")
def test_page_one_renders_and_the_cjk_font_is_embedded(contract: tuple[bytes, bytes], tmp_path: Path) -> None:
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(contract[1])
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in line for line in rows), fonts  # every font embedded (and subset)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a page of text, not a blank one
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "个人经营性贷款额度借款合同" in text and "人民币伍万元整" in text


def test_a_renewed_archive_timestamp_extends_the_chain_and_changes_are_still_caught(
        kit: tuple[Any, Path], contract: tuple[bytes, bytes]) -> None:
    signing, pki = kit
    signed = contract[1]
    renewed, _ = signing.renew_archive(signed, datetime.now(UTC) + timedelta(days=1))
    assert renewed.startswith(signed)  # a new revision; the signed bytes are untouched
    report = verify(renewed, [root_of(pki)])
    assert report.valid and report.pades_level == "B-LTA", report.summary
    assert [c.field for c in report.signatures][-2:] == ["ArchiveTimestamp", "ArchiveTimestamp2"]
    assert report.signatures[-1].timestamp_at > report.signatures[-2].timestamp_at  # type: ignore[operator]
    for position in (len(signed) // 3, len(signed) + 100, len(renewed) - 5):
        tampered = bytearray(renewed)
        tampered[position] = (tampered[position] + 1) % 256
        assert not verify(bytes(tampered), [root_of(pki)]).valid, position


def test_a_failed_check_logs_no_signer_name_or_id_number(contract: tuple[bytes, bytes], tmp_path: Path) -> None:
    """pyHanko names certificate subjects in its log lines; a borrower's is her name and masked ID number."""
    import logging

    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    capture = Capture()
    watched = [logging.getLogger(), logging.getLogger("lending.pyhanko")]
    for log in watched:
        log.addHandler(capture)
    try:
        verify(contract[1], [LocalTestCa(tmp_path / "stranger").root.certificate])  # fails: subjects get logged
    finally:
        for log in watched:
            log.removeHandler(capture)
    assert any("(withheld)" in line for line in lines)
    assert not any("张三" in line or "0018" in line for line in lines), lines
