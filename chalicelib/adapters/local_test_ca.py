"""The bank's LOCAL TEST certificate authority (local stage and tests only; never a production trust anchor).

It plays three parties a real deployment gets from licensed providers: the CA that issues each borrower a one-time
event certificate (一次性事件证书, subject CN = name and masked ID number) for one signature, the CA that certified the
bank's seal key (which itself lives in KMS), and an RFC 3161 time-stamping authority. It also publishes a CRL so
that signatures carry real revocation data (PAdES B-LT). Keys are ECDSA P-256 (fast to make: an event key is made
per signature; the TSA's is RSA). Its keys are written to a local directory (`.local/pki` under `make run`, a
temporary one in tests) - the only private keys ever on disk, and only for the local stage."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CRL_URL = "http://pki.bank.local/test-root.crl"  # never fetched: the CRL is embedded with every signature
_BANK = "本地演示农村商业银行股份有限公司"
_BACKDATE = timedelta(days=400)  # the long-lived test certificates hold for tests that sign "in the past"


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    """(Attribute values are at most 64 bytes of UTF-8: about 21 Chinese characters.)"""
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class IssuedKey:
    certificate: x509.Certificate
    private_key: PrivateKey


class LocalTestCa:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.root = self._load_or_make_root()
        self.tsa = self._load_or_make_tsa()  # RSA: pyHanko's in-process TSA signs with RSA only

    # ---- what the signing adapter needs ------------------------------------------------------------
    def event_certificate(self, name: str, id_number_masked: str, now: datetime) -> IssuedKey:
        """A one-time certificate for one signature: valid for a day, never reused, its key never stored."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._issue(key.public_key(), _name(f"{name} {id_number_masked}"), timedelta(days=1), not_before=now)
        return IssuedKey(cert, key)

    def seal_certificate(self, public_key_der: bytes, key_id: str) -> x509.Certificate:
        """The certificate of the bank's seal key (a KMS key: only its public half is seen here), kept per key."""
        path = self.directory / f"seal-{key_id.replace('/', '_')[-36:]}.pem"
        if path.exists():
            return x509.load_pem_x509_certificate(path.read_bytes())
        public = serialization.load_der_public_key(public_key_der)
        assert isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)  # what KMS signing keys are
        cert = self._issue(public, _name("电子合同专用章 (test)", organization=_BANK), timedelta(days=730))
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cert

    def crl(self, now: datetime) -> x509.CertificateRevocationList:
        """A fresh CRL (no certificate is revoked), embedded with each signature as its revocation evidence."""
        return (x509.CertificateRevocationListBuilder().issuer_name(self.root.certificate.subject)
                .last_update(now - timedelta(minutes=1)).next_update(now + timedelta(days=7))
                .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
                .sign(self.root.private_key, hashes.SHA256()))

    # ---- making and keeping the keys -----------------------------------------------------------------
    def _load_or_make_root(self) -> IssuedKey:
        def make() -> tuple[PrivateKey, x509.Certificate]:
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("Local Test Root CA - not for production")
            now = datetime.now(UTC)
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number()).not_valid_before(now - _BACKDATE)
                    .not_valid_after(now + timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                                 key_encipherment=False, data_encipherment=False,
                                                 key_agreement=False, key_cert_sign=True, crl_sign=True,
                                                 encipher_only=False, decipher_only=False), critical=True)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                    .sign(key, hashes.SHA256()))
            return key, cert

        return self._kept("root", make)

    def _load_or_make_tsa(self) -> IssuedKey:
        def make() -> tuple[PrivateKey, x509.Certificate]:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            return key, self._issue(key.public_key(), _name("Local Test TSA - not for production"),
                                    timedelta(days=3650), tsa=True)

        return self._kept("tsa", make)

    def _kept(self, label: str, make: Callable[[], tuple[PrivateKey, x509.Certificate]]) -> IssuedKey:
        """The key and certificate stored under ``label``, made (and stored) the first time."""
        key_path, cert_path = self.directory / f"{label}.key", self.directory / f"{label}.pem"
        if key_path.exists() and cert_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), None)
            assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
            return IssuedKey(x509.load_pem_x509_certificate(cert_path.read_bytes()), key)
        key, cert = make()
        self._write(key_path, key)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return IssuedKey(cert, key)

    @staticmethod
    def _write(path: Path, key: PrivateKey) -> None:
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        os.chmod(path, 0o600)

    def _issue(self, public_key: CertificateIssuerPublicKeyTypes, subject: x509.Name, lifetime: timedelta,
               not_before: datetime | None = None, tsa: bool = False) -> x509.Certificate:
        now = datetime.now(UTC)
        start, end = ((not_before - timedelta(minutes=5), not_before + lifetime) if not_before
                      else (now - _BACKDATE, now + lifetime))
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.root.certificate.subject)
                   .public_key(public_key).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       self.root.private_key.public_key()), critical=False)
                   .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                       [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False))
        if tsa:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        else:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False,
                decipher_only=False), critical=True)
        return builder.sign(self.root.private_key, hashes.SHA256())
