"""Secrets from AWS Secrets Manager, fetched on first use and kept for the container's life."""

from __future__ import annotations

import threading
from typing import Any

from ..ports import Secrets


class SecretsManagerSecrets(Secrets):
    def __init__(self, client: Any, otp_secret_arn: str) -> None:
        self._client = client
        self._arn = otp_secret_arn
        self._value: str | None = None
        self._lock = threading.Lock()

    def otp_key(self) -> str:
        with self._lock:
            if self._value is None:
                self._value = str(self._client.get_secret_value(SecretId=self._arn)["SecretString"])
            return self._value
