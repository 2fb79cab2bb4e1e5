"""The repository contract for applications, their documents, one-time codes and the risk list, asked of the
in-memory fake and of DynamoDB alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.application import ApplicationStatus
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.one_time_code import OneTimeCode
from chalicelib.ports import DocumentRecord
from tests.integration.builders import key
from tests.unit.test_application_states import new_app

AT = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def stored_app(repo: Any, customer_id: str = "c1") -> Any:
    app = new_app()
    app.customer_id = customer_id
    app.pending_events.clear()
    repo.add_application(app)
    return repo.get_application(app.application_id)


def test_a_stale_write_is_refused_and_its_audit_event_is_not_written(repo: Any) -> None:
    app = stored_app(repo)
    mine, theirs = repo.get_application(app.application_id), repo.get_application(app.application_id)
    theirs.record("TheirChange", "test")
    repo.save_application(theirs)
    mine.record("MyChange", "test")
    with pytest.raises(ConcurrentModificationError):
        repo.save_application(mine)
    assert [e["event"] for e in repo.audit_trail(app.application_id)] == ["TheirChange"]
    assert repo.get_application(app.application_id).version == 2


def test_every_saved_change_appends_its_events_in_order(repo: Any) -> None:
    app = stored_app(repo)
    app.record("One", "test", {"n": 1})
    app.record("Two", "test", {"n": 2})
    repo.save_application(app)
    trail = repo.audit_trail(app.application_id)
    assert [(e["event"], e["data"]) for e in trail] == [("One", {"n": 1}), ("Two", {"n": 2})]


def test_an_unknown_application_is_not_found(repo: Any) -> None:
    with pytest.raises(NotFoundError):
        repo.get_application(f"app_{'0' * 32}")


def test_a_customers_applications_are_hers_only_and_found_by_status(repo: Any) -> None:
    customer = f"cust-{key()}"
    mine = {stored_app(repo, customer).application_id for _ in range(2)}
    stored_app(repo, f"other-{key()}")
    assert {a.application_id for a in repo.applications_of_customer(customer)} == mine
    submitted = repo.get_application(next(iter(mine)))
    submitted.status = ApplicationStatus.SUBMITTED
    repo.save_application(submitted)
    found = {a.application_id for a in repo.applications_with_status(ApplicationStatus.SUBMITTED, limit=0)}
    assert submitted.application_id in found and not (mine - {submitted.application_id}) & found


def test_a_customers_application_summaries_page_newest_first_hers_only(repo: Any) -> None:
    customer = f"cust-{key()}"
    made = []
    for i in range(5):
        app = new_app()
        app.customer_id, app.business = customer, replace(app.business, name="张三便利店")
        app.created_at = app.updated_at = AT + timedelta(minutes=i)
        app.pending_events.clear()
        repo.add_application(app)
        made.append(app.application_id)
    stored_app(repo, f"other-{key()}")
    first, after = repo.application_summaries_of(customer, limit=2)
    second, after2 = repo.application_summaries_of(customer, limit=2, cursor=after)
    last, end = repo.application_summaries_of(customer, limit=2, cursor=after2)
    assert [s.application_id for s in first + second + last] == made[::-1] and end is None
    newest = first[0]
    assert (newest.status, newest.business_name_masked, newest.next_action) == (
        ApplicationStatus.DRAFT, "张*便利店", "UPLOAD_DOCUMENTS_AND_SUBMIT")
    assert newest.requested_amount.fen == 5_000_000 and newest.created_at == AT + timedelta(minutes=4)
    assert repo.application_summaries_of(f"nobody-{key()}") == ([], None)


def document(app_id: str, upload: str, at: datetime, status: str = "RECEIVED") -> DocumentRecord:
    return DocumentRecord(app_id, "ID_CARD_FRONT", f"applications/{app_id}/ID_CARD_FRONT/{upload * 32}", 10, "e",
                          at, status=status, s3_version="v1")


def test_the_current_upload_of_a_type_is_recorded_once_and_a_read_one_is_never_swapped(repo: Any) -> None:
    app_id = stored_app(repo).application_id

    def received() -> DomainEvent:  # each write its own event
        return DomainEvent("DocumentReceived", app_id, "system:uploads")

    first = document(app_id, "a", AT)
    assert repo.record_document(first, received())
    assert not repo.record_document(first, received())  # the same key again (a redelivery or a replayed POST)
    assert not repo.record_document(document(app_id, "b", AT - timedelta(minutes=1)), received())  # older, late
    newer = document(app_id, "c", AT + timedelta(minutes=1))
    assert repo.record_document(newer, received())
    assert not repo.update_document(document(app_id, "a", AT, "READ"), received())  # no longer the current one
    assert repo.update_document(document(app_id, "c", newer.received_at, "READ"), received())
    assert not repo.record_document(document(app_id, "d", AT + timedelta(minutes=2)), received())  # READ stays
    assert [(d.s3_key[-32:], d.status) for d in repo.documents_of(app_id)] == [("c" * 32, "READ")]
    assert [e["event"] for e in repo.audit_trail(app_id)] == ["DocumentReceived"] * 3


def code(app_id: str, sent_at: datetime, attempts: int = 0) -> OneTimeCode:
    return OneTimeCode(app_id, "CONTRACT_SIGNING", f"hash-{sent_at.minute}", sent_at, sent_at + timedelta(minutes=5),
                       date(2026, 11, 29), 1, attempts)


def test_a_code_replaces_only_the_one_read_and_guesses_are_counted_atomically(repo: Any) -> None:
    app_id = stored_app(repo).application_id
    assert repo.get_code(app_id, "CONTRACT_SIGNING") is None
    first = code(app_id, AT)
    assert repo.put_code(first, None)
    assert not repo.put_code(code(app_id, AT + timedelta(minutes=1)), None)  # a parallel first send lost
    second = code(app_id, AT + timedelta(minutes=2))
    assert repo.put_code(second, first)
    assert not repo.put_code(code(app_id, AT + timedelta(minutes=3)), first)  # judged on a stale read
    assert repo.get_code(app_id, "CONTRACT_SIGNING").code_hash == second.code_hash
    assert [repo.count_code_attempt(app_id, "CONTRACT_SIGNING", 2).attempts for _ in range(2)] == [1, 2]
    assert repo.count_code_attempt(app_id, "CONTRACT_SIGNING", 2) is None  # locked
    repo.discard_code(app_id, "CONTRACT_SIGNING")
    assert repo.get_code(app_id, "CONTRACT_SIGNING") is None
    assert repo.count_code_attempt(app_id, "CONTRACT_SIGNING", 2) is None  # no code, nothing to count


def test_the_risk_list_is_by_keyed_hash(repo: Any) -> None:
    listed = f"hash-{key()}"
    assert not repo.is_blacklisted(listed)
    repo.add_to_blacklist(listed, "fraud confirmed")
    assert repo.is_blacklisted(listed) and not repo.is_blacklisted(f"hash-{key()}")
