"""Document uploads arrive as S3 object-created events (through SQS). The event is the only thing trusted:
the key must be one this API issued (applications/{id}/{TYPE}/{uuid}); anything else is ignored and logged.
A duplicate or out-of-order event changes nothing (see DynamoDbLendingRepository.record_document)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from ..domain import events as ev
from ..domain.errors import NotFoundError
from ..domain.events import DomainEvent
from ..observability import logger
from ..ports import DocumentRecord
from .deps import Dependencies
from .origination import UPLOAD_CONTENT_TYPES

_KEY = re.compile(r"^applications/(app_[0-9a-f]{32})/([A-Z_]+)/([0-9a-f]{32})$")


def on_object_created(deps: Dependencies, record: dict[str, Any]) -> bool:
    key = unquote_plus(record["s3"]["object"]["key"])
    match = _KEY.match(key)
    if not match or match.group(2) not in UPLOAD_CONTENT_TYPES:
        logger.warning("ignoring an upload with an unexpected key")
        return False
    application_id, doc_type = match.group(1), match.group(2)
    try:
        deps.repo.get_application(application_id)
    except NotFoundError:
        logger.warning("upload for an unknown application", extra={"application_id": application_id})
        return False
    obj = record["s3"]["object"]
    received_at = datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00"))
    doc = DocumentRecord(application_id, doc_type, key, int(obj.get("size", 0)), str(obj.get("eTag", "")),
                         received_at)
    event = DomainEvent(ev.DOCUMENT_RECEIVED, application_id, "system:uploads",
                        {"doc_type": doc_type, "size": doc.size})
    recorded = deps.repo.record_document(doc, event)
    logger.info("document received" if recorded else "duplicate or stale upload event ignored",
                extra={"application_id": application_id, "doc_type": doc_type})
    return recorded
