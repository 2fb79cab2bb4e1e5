"""Field-level envelope encryption with AWS KMS: a fresh data key per value from GenerateDataKey (bound to the
application by the encryption context, so a ciphertext copied to another application will not decrypt), AES-256-
GCM locally, only the KMS-encrypted data key stored beside the ciphertext. The keyed hash is HMAC-SHA256 with a
key from Secrets Manager: equal ID numbers hash equal (duplicates, blacklist) without revealing the number."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from typing import Any

from ..ports import FieldCipher


class KmsEnvelopeCipher(FieldCipher):
    def __init__(self, kms: Any, key_id: str, secrets: Any, hash_secret_arn: str) -> None:
        self._kms = kms
        self._key_id = key_id
        self._secrets = secrets
        self._hash_secret_arn = hash_secret_arn
        self._hash_key: bytes | None = None
        self._lock = threading.Lock()

    def encrypt(self, plaintext: str, application_id: str) -> dict[str, str]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self._kms.generate_data_key(KeyId=self._key_id, KeySpec="AES_256",
                                          EncryptionContext={"application_id": application_id})
        nonce = os.urandom(12)
        sealed = AESGCM(key["Plaintext"]).encrypt(nonce, plaintext.encode(), application_id.encode())
        return {"v": "1", "key": base64.b64encode(key["CiphertextBlob"]).decode(),
                "nonce": base64.b64encode(nonce).decode(), "data": base64.b64encode(sealed).decode()}

    def decrypt(self, sealed: dict[str, str], application_id: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self._kms.decrypt(CiphertextBlob=base64.b64decode(sealed["key"]),
                                EncryptionContext={"application_id": application_id})["Plaintext"]
        return AESGCM(key).decrypt(base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["data"]),
                                   application_id.encode()).decode()

    def keyed_hash(self, value: str) -> str:
        with self._lock:
            if self._hash_key is None:
                secret = self._secrets.get_secret_value(SecretId=self._hash_secret_arn)["SecretString"]
                self._hash_key = str(secret).encode()
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()
