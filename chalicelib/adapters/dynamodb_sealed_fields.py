"""Personal fields sealed at rest: the applicant's name, phone, business and payout account and the contract's
record (its signers are named) on the application, the name read from a card or licence, the account on
the credit line and on each drawdown are written as one KMS envelope per item (``sealed``, bound to its
application or drawdown by the encryption context) and opened when the item is read. What a table dump, a
backup or an engineer with read access sees is the envelope; the services keep working with the plain values.

An envelope is made once per value and reused for every later save of the same value (they seldom change: the
contract's record twice, when generated and when signed), and an opened envelope is remembered by this container,
so a warm Lambda does not call KMS on every read. Masks (``****8765``) are computed from the opened values
where they are shown."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from ..ports import FieldCipher

_CACHE_SIZE = 2048


class SealedFields:
    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher
        self._sealed: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()  # (context, plain) -> envelope
        self._opened: OrderedDict[str, str] = OrderedDict()  # envelope data -> plain
        self._lock = threading.Lock()

    def seal(self, item: dict[str, Any], fields: tuple[str, ...], context: str) -> dict[str, Any]:
        """The item with ``fields`` (those it has) moved into one envelope (``sealed``)."""
        plain = json.dumps({f: item[f] for f in fields if f in item}, ensure_ascii=False, sort_keys=True)
        with self._lock:
            envelope = self._sealed.get((context, plain))
        if envelope is None:
            envelope = self._cipher.encrypt(plain, context)
            self._remember(context, plain, envelope)
        return {**{k: v for k, v in item.items() if k not in fields}, "sealed": envelope}

    def open(self, item: dict[str, Any], context: str) -> dict[str, Any]:
        envelope = item.get("sealed")
        if not envelope:
            return item
        with self._lock:
            plain = self._opened.get(envelope["data"])
        if plain is None:
            plain = self._cipher.decrypt(envelope, context)
            self._remember(context, plain, envelope)
        return {**{k: v for k, v in item.items() if k != "sealed"}, **json.loads(plain)}

    def _remember(self, context: str, plain: str, envelope: dict[str, str]) -> None:
        with self._lock:
            self._sealed[(context, plain)] = envelope
            self._opened[envelope["data"]] = plain
            for cache in (self._sealed, self._opened):
                while len(cache) > _CACHE_SIZE:
                    cache.popitem(last=False)
