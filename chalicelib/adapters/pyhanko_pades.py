"""PAdES signing and validation of loan contracts with pyHanko.

Two signatures, each with an RFC 3161 timestamp and the validation data (certificates, CRLs) embedded:
1. the borrower's, with a one-time event certificate and a key made for this signature only (PAdES B-LT);
2. the bank's seal, whose key never leaves KMS (an asymmetric SIGN_VERIFY key; pyHanko asks KMS for the raw
   signature), followed by a document timestamp over everything (PAdES B-LTA), so that the contract can be
   validated long after the certificates expire.

Validation uses only what is embedded in the file (its DSS) plus the trust roots given: nothing is fetched.
Heavy imports (pyHanko, asn1crypto) stay in this module, loaded only by the signing and verification paths."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from asn1crypto import algos, cms, keys
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, TimestampDSSContentSettings
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..domain.signature import SignatureCheck, SignatureRecord, VerificationReport
from .local_test_ca import LocalTestCa

BORROWER_FIELD, BANK_FIELD, ARCHIVE_TS_FIELD = "Borrower", "BankSeal", "ArchiveTimestamp"


class _WithoutPersonalData(logging.Handler):
    """pyHanko's log lines name certificate subjects when a check fails - for a borrower's event certificate, the
    name and masked ID number. They reach our logs with every subject withheld. Its notice on every signature
    that it may not fetch validation data is dropped: we supply all of it on purpose."""

    _SUBJECT = re.compile(r"(Common Name: |CN=)[^,\]\n]*")
    _OUT = logging.getLogger("lending.pyhanko")

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "fetching is not allowed" not in message:
            self._OUT.log(record.levelno, "%s: %s", record.name, self._SUBJECT.sub(r"\1(withheld)", message))


_PYHANKO_LOG = logging.getLogger("pyhanko")
_PYHANKO_LOG.propagate = False
_PYHANKO_LOG.addHandler(_WithoutPersonalData())
_RESERVED = 10_240  # hex digits for each CMS (5 KB; about 4 KB is used: certificates + timestamp). Sizing it up front
# skips a dry run, and every reserved byte is read back as two hex digits by each later parse (the main cost of
# signing); a CMS that outgrows it is signed again with pyHanko's own estimate.


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: Any) -> keys.PrivateKeyInfo:
    return keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))


class KmsSigner(signers.Signer):
    """pyHanko signer whose private key is an AWS KMS key. The signed attributes (a few hundred bytes, under KMS's
    4 KB limit for RAW messages) are sent as they are; KMS hashes and signs them."""

    _ALGORITHMS: ClassVar[dict[str, tuple[str, str]]] = {
        "RSA": ("sha256_rsa", "RSASSA_PKCS1_V1_5_SHA_256"), "EC": ("sha256_ecdsa", "ECDSA_SHA_256")}

    def __init__(self, kms_client: Any, key_id: str, certificate: x509.Certificate,
                 chain: Iterable[x509.Certificate], key_type: str = "RSA") -> None:
        self._kms, self._key_id = kms_client, key_id
        mechanism, self._aws_algorithm = self._ALGORITHMS[key_type]
        super().__init__(signing_cert=_asn1(certificate),
                         cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
                         signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(512)
        answer = self._kms.sign(KeyId=self._key_id, Message=data, MessageType="RAW",
                                SigningAlgorithm=self._aws_algorithm)
        return bytes(answer["Signature"])


class _LocalTsa(timestamps.DummyTimeStamper):
    """pyHanko's in-process TSA, signing with a key parsed once: its own parses the RSA key from DER for every
    token (about 30 ms each, five tokens per contract). The token is built exactly as pyHanko 0.38 builds it.
    Its clock is the service's clock plus the real time elapsed since, so successive tokens are in order."""

    def __init__(self, key: Any, **kwargs: Any) -> None:
        self._started = datetime.now(UTC)
        super().__init__(**kwargs)
        self._key = key

    @property
    def fixed_dt(self) -> datetime | None:
        return self._base + (datetime.now(UTC) - self._started) if self._base else None

    @fixed_dt.setter
    def fixed_dt(self, value: datetime | None) -> None:
        self._base = value

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: datetime) -> tuple[bytes, Any]:
        from asn1crypto import core
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.general import as_signing_certificate, get_pyca_cryptography_hash, simple_cms_attribute

        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize())])
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper()))
        return signature, signed_attrs


@dataclass(frozen=True)
class PadesContractSigner:
    """Signs with the local test CA's event certificates and TSA. A production deployment replaces the CA and
    TSA with licensed providers behind the same two methods (not connected yet: see README)."""

    ca: LocalTestCa
    seal: KmsSigner

    def _context(self, now: datetime) -> ValidationContext:
        return ValidationContext(
            trust_roots=[_asn1(self.ca.root.certificate)], other_certs=[_asn1(self.ca.tsa.certificate)],
            crls=[asn1_crl.CertificateList.load(self.ca.crl(now).public_bytes(serialization.Encoding.DER))],
            allow_fetching=False, revocation_mode="hard-fail", moment=now)

    def _timestamper(self, now: datetime) -> timestamps.TimeStamper:
        return _LocalTsa(self.ca.tsa.private_key,  # an in-process RFC 3161 TSA with the test CA's key, our clock
                         tsa_cert=_asn1(self.ca.tsa.certificate), tsa_key=_asn1_key(self.ca.tsa.private_key),
                         certs_to_embed=SimpleCertificateStore.from_certs([_asn1(self.ca.root.certificate)]),
                         fixed_dt=now)

    def sign(self, unsigned: bytes, borrower_name: str, borrower_id_masked: str,
             now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        return self._checked(self.sign_unchecked(unsigned, borrower_name, borrower_id_masked, now))

    def _checked(self, pdf: bytes) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        """Never store or hand out a contract that does not validate; what it holds, as records."""
        report = verify(pdf, [self.ca.root.certificate])
        if not report.valid:
            raise SigningError(f"the signed contract does not validate: {report.summary}")
        return pdf, tuple(SignatureRecord(s.field, s.signer, s.certificate_serial, s.signed_at, s.timestamp_at)
                          for s in report.signatures)

    def sign_unchecked(self, unsigned: bytes, borrower_name: str, borrower_id_masked: str, now: datetime) -> bytes:
        """The two signatures and the archive timestamp, without the validation ``sign`` adds (benchmarks)."""
        context, tsa = self._context(now), self._timestamper(now)
        event = self.ca.event_certificate(borrower_name, borrower_id_masked, now)
        borrower = signers.SimpleSigner(
            signing_cert=_asn1(event.certificate), signing_key=_asn1_key(event.private_key),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(self.ca.root.certificate)]))
        first = self._sign_once(unsigned, borrower, BORROWER_FIELD, "借款人签署借款合同", context, tsa, lta=False)
        return self._sign_once(first, self.seal, BANK_FIELD, "贷款人电子签章", context, tsa, lta=True)

    def renew_archive(self, signed: bytes, now: datetime) -> tuple[bytes, tuple[SignatureRecord, ...]]:
        """A new archive timestamp over the whole file (PAdES-LTA renewal): first today's CRL and the certificates
        the last timestamp needs, then the new document timestamp over them - before the last one's TSA
        certificate expires or its algorithms weaken, so that the chain of evidence carries on. The result is a
        new revision; the earlier bytes are untouched."""
        context, tsa = self._context(now), self._timestamper(now)
        existing = PdfFileReader(io.BytesIO(signed), strict=False)
        field = f"{ARCHIVE_TS_FIELD}{len(list(existing.embedded_timestamp_signatures)) + 1}"
        writer = IncrementalPdfFileWriter(io.BytesIO(signed))
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=[_asn1(self.ca.tsa.certificate), _asn1(self.ca.root.certificate)],
            crls=[asn1_crl.CertificateList.load(self.ca.crl(now).public_bytes(serialization.Encoding.DER))])
        out = signers.PdfTimeStamper(tsa, field_name=field).timestamp_pdf(
            writer, "sha256", context, bytes_reserved=_RESERVED, in_place=True,
            dss_settings=TimestampDSSContentSettings(include_vri=False, update_before_ts=True))
        return self._checked(bytes(out.getvalue()))

    @staticmethod
    def _sign_once(pdf: bytes, signer: signers.Signer, field: str, reason: str, context: ValidationContext,
                   tsa: timestamps.TimeStamper, lta: bool) -> bytes:
        # The archive timestamp's own validation data goes in *before* it, so that it is the file's last
        # revision and covers every byte (nothing after it that no signature protects).
        dss = DSSContentSettings(include_vri=False, next_ts_settings=TimestampDSSContentSettings(
            include_vri=False, update_before_ts=True))
        meta = signers.PdfSignatureMetadata(
            field_name=field, reason=reason, location="CN", md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES, embed_validation_info=True, validation_context=context,
            use_pades_lta=lta, timestamp_field_name=ARCHIVE_TS_FIELD if lta else None, dss_settings=dss)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=tsa,
                                       new_field_spec=fields.SigFieldSpec(sig_field_name=field))
        try:
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=_RESERVED)
        except SigningError as err:
            if "larger than expected" not in str(err):
                raise
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
        return bytes(out.getvalue())


def verify(pdf: bytes, trust_roots: Iterable[x509.Certificate]) -> VerificationReport:
    """Every signature and document timestamp in ``pdf`` checked against ``trust_roots`` with only the validation
    data embedded in the file (its DSS): integrity, the signer's chain and revocation status at the time of the
    timestamp, the timestamps, and whether anything was changed after the last signature."""
    roots = [_asn1(c) for c in trust_roots]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        regular = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
        dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    except Exception as err:  # not a PDF, or its structure is broken: that is a verification result
        return VerificationReport(False, False, "NONE", (), True, f"unreadable: {type(err).__name__}")
    checks: list[SignatureCheck] = []
    for sig in regular:
        checks.append(_check_signature(sig, roots, dss, last=sig is regular[-1]))
    for ts in stamps:
        checks.append(_check_timestamp(ts, roots, dss))
    if not regular:
        return VerificationReport(False, False, "NONE", tuple(checks), False, "no signature")
    try:
        tampered = _unsigned_parts_problem(pdf, [*regular, *stamps], roots)
    except Exception as err:  # a mangled structure (say a date no parser accepts) is a result, never a crash
        tampered = f"a signature's structure cannot be read: {type(err).__name__}"
    if tampered:  # the signatures' own unsigned parts (embedded certificates, padding) were altered
        checks = [replace(c, intact=False, valid=False, problem=c.problem or tampered) for c in checks]
    intact = all(c.intact for c in checks)
    valid = intact and all(c.valid for c in checks)
    modified = any(c.problem and c.problem.startswith("the document was changed") for c in checks)
    level = ("B-LTA" if stamps and dss is not None else "B-LT" if dss is not None else
             "B-T" if all(c.timestamp_at for c in checks) else "B-B")
    summary = "valid" if valid and not modified else "; ".join(
        f"{c.field}: {c.problem}" for c in checks if c.problem) or "modified after the last signature"
    return VerificationReport(intact, valid and not modified, level, tuple(checks), modified, summary)


def _unsigned_parts_problem(pdf: bytes, embedded: list[Any], roots: list[asn1_x509.Certificate]) -> str | None:
    """A signature's CMS carries parts no signature covers: the certificates it embeds (its own and its
    timestamp token's) and the zero padding of /Contents. Validation does not need a spare copy of a certificate,
    so a changed byte there would go unnoticed; a bank's evidence should not be editable anywhere. Every embedded
    certificate must therefore carry a valid signature of its issuer (or be a trust root), and the padding must be
    zeros."""
    for match in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf):
        start, length, end = int(match[1]), int(match[2]), int(match[3])
        hex_digits = pdf[start + length:end].strip(b"<> \r\n")
        try:
            der = bytes.fromhex(hex_digits.decode("ascii"))
        except ValueError:
            return "a signature's /Contents is not hexadecimal"
        used = len(cms.ContentInfo.load(der, strict=False).dump())
        if any(der[used:]):
            return "a signature's padding was altered"
    certificates: list[asn1_x509.Certificate] = []
    for sig in embedded:
        certificates += [c.chosen for c in sig.signed_data["certificates"] or ()
                         if isinstance(c.chosen, asn1_x509.Certificate)]
        for attr in sig.signer_info["unsigned_attrs"] or ():
            if attr["type"].native == "signature_time_stamp_token":
                certificates += [c.chosen for c in attr["values"][0]["content"]["certificates"] or ()
                                 if isinstance(c.chosen, asn1_x509.Certificate)]
    known = {c.dump() for c in roots}
    try:  # (cryptography parses names lazily: a mangled one raises when it is first read)
        parsed = {der: x509.load_der_x509_certificate(der) for der in {c.dump() for c in certificates} | known}
        for der_cert, cert in parsed.items():
            if der_cert in known:
                continue
            issuers = [c for c in parsed.values() if c.subject == cert.issuer]
            if not any(_issued_by(cert, issuer) for issuer in issuers):
                return "an embedded certificate was altered"
    except ValueError:
        return "an embedded certificate is malformed"
    return None


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def _embedded_context(roots: list[asn1_x509.Certificate], dss: DocumentSecurityStore | None,
                      moment: datetime | None) -> ValidationContext:
    kwargs: dict[str, Any] = {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "hard-fail"}
    if moment is not None:
        kwargs["moment"] = moment
    return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)


def _check_signature(sig: Any, roots: list[asn1_x509.Certificate], dss: DocumentSecurityStore | None,
                     last: bool) -> SignatureCheck:
    field = sig.field_name
    try:
        ts_time = _timestamp_time(sig)  # validated as of its timestamp: an event certificate lives one day
        status = validate_pdf_signature(sig, signer_validation_context=_embedded_context(roots, dss, ts_time),
                                        ts_validation_context=_embedded_context(roots, dss, ts_time))
        ts_status = status.timestamp_validity
        level = status.modification_level
        # After the last signature only validation data and timestamps may be added (PAdES LTV); after an earlier
        # one also a later signature (pyHanko calls adding and signing a field FORM_FILLING). Anything else is a
        # change to the document.
        allowed = ("NONE", "LTA_UPDATES") if last else ("NONE", "LTA_UPDATES", "FORM_FILLING")
        modified = level is None or level.name not in allowed or status.docmdp_ok is False
        subject = status.signing_cert.subject.human_friendly
        problem = None if status.bottom_line else ("digest or signature mismatch" if not status.intact
                                                   else "certificate not trusted or revoked")
        if ts_status is not None and not (ts_status.intact and ts_status.valid and ts_status.trusted):
            problem = problem or "timestamp invalid"
        if modified:
            problem = problem or f"the document was changed after this signature ({level.name if level else '?'})"
        return SignatureCheck(field, subject, str(status.signing_cert.serial_number),
                              status.signer_reported_dt, ts_status.timestamp if ts_status else None,
                              status.intact, status.bottom_line and problem is None, _coverage(status), problem)
    except Exception as err:  # a broken CMS structure is an invalid signature, not a crash
        return SignatureCheck(field, "", "", None, None, False, False, "UNKNOWN", f"unreadable: {type(err).__name__}")


def _coverage(status: Any) -> str:
    return status.coverage.name if status.coverage is not None else "UNKNOWN"


def _timestamp_time(sig: Any) -> datetime | None:
    """The RFC 3161 time of the signature's timestamp token (an unsigned attribute of its SignerInfo)."""
    for attr in sig.signer_info["unsigned_attrs"] or ():
        if attr["type"].native == "signature_time_stamp_token":
            token = attr["values"][0]
            tst_info = token["content"]["encap_content_info"]["content"].parsed
            return tst_info["gen_time"].native
    return None


def _check_timestamp(ts: Any, roots: list[asn1_x509.Certificate], dss: DocumentSecurityStore | None
                     ) -> SignatureCheck:
    try:
        # The archive timestamp is checked now: its certificate must be valid today. Its revocation cannot be
        # checked offline (that needs today's CRL), so it is soft-fail here; a bank adds a new archive
        # timestamp before the TSA certificate expires, and that is what keeps the chain of evidence alive.
        context = ValidationContext(trust_roots=roots, other_certs=list(dss.load_certs()) if dss else [],
                                    allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_timestamp(ts, validation_context=context)
        ok = status.intact and status.valid and status.trusted
        return SignatureCheck(ts.field_name, status.signing_cert.subject.human_friendly,
                              str(status.signing_cert.serial_number), None, status.timestamp, status.intact, ok,
                              _coverage(status), None if ok else "document timestamp invalid")
    except Exception as err:
        return SignatureCheck(ts.field_name, "", "", None, None, False, False, "UNKNOWN",
                              f"unreadable: {type(err).__name__}")
