"""What only the DynamoDB adapter has to show, against moto: a create or a save resent by botocore after its answer
was lost, and the identity register. What both repositories promise is the contract
(test_repository_contract_*.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.domain.errors import ConcurrentModificationError
from tests.unit.test_application_states import new_app


@pytest.fixture
def repo(live):  # type: ignore[no-untyped-def]
    return bootstrap.deps().repo


def test_a_retried_create_is_not_an_error_but_another_customers_id_clash_is(repo) -> None:  # type: ignore[no-untyped-def]
    """botocore retries a transaction whose answer was lost; the retry must not turn a success into a 500."""
    from botocore.exceptions import ClientError

    app = new_app()
    repo.add_application(app)
    again = repo.get_application(app.application_id)
    again.version = 0
    repo.add_application(again)  # what a retry of the same request looks like: nothing raised, nothing changed
    assert repo.get_application(app.application_id).version == 1
    stranger = repo.get_application(app.application_id)
    stranger.customer_id = "mallory"
    with pytest.raises(ClientError):
        repo.add_application(stranger)


def test_a_save_resent_after_its_answer_was_lost_is_a_success(repo) -> None:  # type: ignore[no-untyped-def]
    """botocore resends a transaction when the answer times out; the resend fails the version condition that the
    first attempt satisfied. The save must report what happened (it was applied), not a conflict."""
    from chalicelib.adapters.dynamodb_repository import DynamoDbLendingRepository

    class AnswerLost:
        def __init__(self, client: object) -> None:
            self._client = client

        def __getattr__(self, name: str) -> object:
            return getattr(self._client, name)

        def transact_write_items(self, **kwargs: object) -> object:
            self._client.transact_write_items(**kwargs)  # type: ignore[attr-defined]  # applied...
            return self._client.transact_write_items(**kwargs)  # type: ignore[attr-defined]  # ...and resent

    app = new_app()
    app.pending_events.clear()
    repo.add_application(app)
    lossy = DynamoDbLendingRepository(AnswerLost(repo._client), repo._table, repo._cipher)
    stored = lossy.get_application(app.application_id)
    stored.record("Changed", "test")
    lossy.save_application(stored)  # no ConcurrentModificationError
    assert repo.get_application(app.application_id).version == 2
    assert [e["event"] for e in repo.audit_trail(app.application_id)] == ["Changed"]
    stale = repo.get_application(app.application_id)
    stale.version = 1  # a genuinely stale copy is still refused
    with pytest.raises(ConcurrentModificationError):
        lossy.save_application(stale)


def test_sightings_are_counted_per_application_within_the_window(live) -> None:  # type: ignore[no-untyped-def]
    """The velocity count on DynamoDB: one item per application (a retried step does not count twice), only
    those seen since the window's start."""
    register = bootstrap.deps().identities
    now = datetime(2026, 6, 1, tzinfo=UTC)
    register.record_sighting("PHONE", "hash-velocity-1", "app_a", now - timedelta(days=40))
    for app in ("app_b", "app_c", "app_c", "app_d"):  # app_c seen twice (a retried workflow step)
        register.record_sighting("PHONE", "hash-velocity-1", app, now - timedelta(days=1))
    assert register.applications_seen("PHONE", "hash-velocity-1", now - timedelta(days=30)) == 3
    assert register.applications_seen("PHONE", "hash-velocity-2", now - timedelta(days=30)) == 0


def test_an_id_number_binds_to_its_first_customer_once(live) -> None:  # type: ignore[no-untyped-def]
    register = bootstrap.deps().identities
    assert register.bind_identity("hash-holder-1", "alice") == "alice"
    assert register.bind_identity("hash-holder-1", "mallory") == "alice"
    assert register.bind_identity("hash-holder-1", "alice") == "alice"


def test_a_list_of_lines_or_drawdowns_opens_no_envelope(repo) -> None:  # type: ignore[no-untyped-def]
    """A list view costs a bounded number of reads whatever its length: one KMS call per item (the sealed account
    number) was what a list of drawdowns cost. The mask is kept beside the envelope; the full number is opened only
    where one line or drawdown is read to act on."""
    from chalicelib.adapters.dynamodb_repository import DynamoDbLendingRepository
    from tests.integration.builders import active_line, requested_drawdown

    class CountingCipher:
        def __init__(self, inner: object) -> None:
            self.inner, self.opened = inner, 0

        def encrypt(self, plain: str, context: str) -> object:
            return self.inner.encrypt(plain, context)  # type: ignore[attr-defined]

        def decrypt(self, envelope: object, context: str) -> str:
            self.opened += 1
            return self.inner.decrypt(envelope, context)  # type: ignore[attr-defined,no-any-return]

    customer = f"cust-{datetime.now(UTC).timestamp():.0f}-lists"
    lines = [active_line(repo, customer_id=customer) for _ in range(3)]
    for line in lines:
        requested_drawdown(repo, line, 100)
    cipher = CountingCipher(repo._cipher)
    started = DynamoDbLendingRepository(repo._client, repo._table, cipher)  # a container that has just started
    listed, _ = started.credit_lines_of(customer)
    drawn, _ = started.drawdowns_of(customer)
    assert (len(listed), len(drawn), cipher.opened) == (3, 3, 0)
    assert {x.payout_account_masked for x in listed} == {d.account_masked for d in drawn} == {"****0123"}
    assert started.get_credit_line(lines[0].credit_line_id).payout_account_no == "6222021234567890123"
    assert cipher.opened == 1
