"""What a client's Idempotency-Key must look like: long enough not to collide by accident, short and plain enough
to be a key in the table. Checked before anything is looked up or recorded."""

from __future__ import annotations

from .errors import ValidationError


def check_key(key: str) -> str:
    if not 8 <= len(key) <= 64 or not key.isascii() or not key.isprintable():
        raise ValidationError("Idempotency-Key must be 8 to 64 printable ASCII characters (a UUID is ideal)",
                              {"header": "Idempotency-Key"})
    return key
