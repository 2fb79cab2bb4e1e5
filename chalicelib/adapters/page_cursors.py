"""A list's position as the client holds it: an opaque token the repository issues (base64url of the sort key of
the last item shown) and reads back. Only the repositories know what is inside; a token that is not one of this
list's - forged, of another kind of list, not printable - is refused with a 422, never guessed at. Both the
DynamoDB repository and the in-memory one use these, so their cursors behave alike."""

from __future__ import annotations

import base64

from ..domain.errors import ValidationError


def issue(sort_key: str | None) -> str | None:
    return None if sort_key is None else base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def position(cursor: str | None, kind: str) -> str | None:
    """The sort key a cursor names, for a list whose keys start with ``kind``."""
    if cursor is None:
        return None
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        decoded = ""
    if not decoded.startswith(kind) or not decoded.isprintable():
        raise ValidationError("the cursor is not one this list gave", {"field": "cursor"})
    return decoded
