"""Text a person typed that the bank will print or show: names, business names, purposes, officers' comments.

Refused (a clear 4xx, nothing stored): control characters (Unicode category Cc, e.g. NUL, ESC, newlines), and
every format character (Cf) - the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
can make a contract read differently from what it says ("Trojan Source"), zero-width spaces and joiners
(U+200B-U+200D, U+2060, U+FEFF) that make two names look equal while differing, and the rest of Cf. Also
unassigned, private-use and surrogate code points. Ordinary CJK, Latin, digits, punctuation and the ideographic
space stay allowed; leading and trailing whitespace is refused rather than silently trimmed."""

from __future__ import annotations

import unicodedata

_REFUSED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def invisible_characters(value: str) -> list[str]:
    """The refused characters in ``value``, as U+XXXX."""
    return [f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) in _REFUSED_CATEGORIES]


def visible_text(value: str) -> str:
    bad = invisible_characters(value)
    if bad:
        raise ValueError(f"contains control or invisible characters ({', '.join(sorted(set(bad))[:5])})")
    if value != value.strip():
        raise ValueError("starts or ends with whitespace")
    return value
