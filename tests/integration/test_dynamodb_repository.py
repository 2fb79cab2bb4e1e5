"""The DynamoDB adapter against moto: optimistic concurrency, audit in the same transaction, once-only writes,
the conditional reservation."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib import bootstrap
from chalicelib.domain.credit_line import CreditLine
from chalicelib.domain.drawdown import Drawdown, DrawdownStatus
from chalicelib.domain.errors import ConcurrentModificationError, CreditLimitExceededError
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from chalicelib.domain.repayment import RepaymentMethod as M
from tests.unit.test_application_states import new_app


@pytest.fixture
def repo(live):  # type: ignore[no-untyped-def]
    return bootstrap.deps().repo


def test_a_stale_write_is_refused_and_its_audit_event_is_not_written(repo) -> None:  # type: ignore[no-untyped-def]
    app = new_app()
    app.pending_events.clear()
    repo.add_application(app)
    mine, theirs = repo.get_application(app.application_id), repo.get_application(app.application_id)
    theirs.record("TheirChange", "test")
    repo.save_application(theirs)
    mine.record("MyChange", "test")
    with pytest.raises(ConcurrentModificationError):
        repo.save_application(mine)
    events = [e["event"] for e in repo.audit_trail(app.application_id)]
    assert events == ["TheirChange"]
    assert repo.get_application(app.application_id).version == 2


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


def test_every_saved_change_appends_its_events(repo) -> None:  # type: ignore[no-untyped-def]
    app = new_app()
    repo.add_application(app)
    stored = repo.get_application(app.application_id)
    stored.record("One", "test", {"n": 1})
    stored.record("Two", "test", {"n": 2})
    repo.save_application(stored)
    trail = repo.audit_trail(app.application_id)
    assert [(e["event"], e["data"]) for e in trail][-2:] == [("One", {"n": 1}), ("Two", {"n": 2})]


def _line(repo, limit_yuan: int = 10_000) -> CreditLine:  # type: ignore[no-untyped-def]
    app = new_app()
    repo.add_application(app)
    app = repo.get_application(app.application_id)
    line = CreditLine(credit_line_id=f"line_{app.application_id[4:]}", customer_id="c1",
                      application_id=app.application_id, limit=Money.yuan(limit_yuan),
                      available=Money.yuan(limit_yuan), annual_rate=Decimal("0.0720"), term_months=(12,),
                      repayment_methods=(M.EQUAL_INSTALMENT,), payout_account_no="6222021234567890123",
                      valid_until=datetime.now(UTC) + timedelta(days=365))
    repo.activate_credit_line(app, line, DomainEvent("CreditLineActivated", line.credit_line_id, "test"))
    return line


def _drawdown(repo, line: CreditLine, yuan: int, key: str) -> Drawdown:  # type: ignore[no-untyped-def]
    dd = Drawdown.request(drawdown_id=f"dd_{key}", credit_line_id=line.credit_line_id, customer_id="c1",
                          amount=Money.yuan(yuan), term_months=12, repayment_method=M.EQUAL_INSTALMENT,
                          account_no=line.payout_account_no, request_hash=f"h-{key}")
    return repo.add_drawdown(dd, f"key-{key}")


def _reserve(repo, dd: Drawdown) -> None:  # type: ignore[no-untyped-def]
    """The domain's move, then the repository's reservation of it."""
    dd.reserve("test")
    repo.reserve_limit(dd)


def test_reservations_never_overdraw_the_line(repo) -> None:  # type: ignore[no-untyped-def]
    import uuid

    line = _line(repo, 10_000)
    reserved = 0
    for i in range(5):
        dd = _drawdown(repo, line, 3_000, f"{uuid.uuid4().hex[:8]}{i}")
        try:
            _reserve(repo, dd)
            reserved += 1
        except CreditLimitExceededError as err:
            assert err.details == {"available_fen": 100_000}
    assert reserved == 3
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(1_000)


def test_an_idempotency_key_returns_the_first_drawdown(repo) -> None:  # type: ignore[no-untyped-def]
    import uuid

    line = _line(repo)
    key = uuid.uuid4().hex
    first = _drawdown(repo, line, 1_000, key)
    again = Drawdown.request(drawdown_id="dd_other", credit_line_id=line.credit_line_id, customer_id="c1",
                             amount=Money.yuan(2_000), term_months=12, repayment_method=M.EQUAL_INSTALMENT,
                             account_no=line.payout_account_no, request_hash="different")
    stored = repo.add_drawdown(again, f"key-{key}")
    assert stored.drawdown_id == first.drawdown_id and stored.request_hash == first.request_hash
    with pytest.raises(Exception, match="not found"):
        repo.get_drawdown("dd_other")


def test_release_happens_once(repo) -> None:  # type: ignore[no-untyped-def]
    import uuid

    line = _line(repo)
    dd = _drawdown(repo, line, 4_000, uuid.uuid4().hex)
    _reserve(repo, dd)
    late = repo.get_drawdown(dd.drawdown_id)  # a second worker read it reserved too
    dd.release("refused", "test")
    late.release("refused", "test")
    assert repo.release_reservation(dd)
    assert not repo.release_reservation(late)
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(10_000)
    assert repo.get_drawdown(dd.drawdown_id).status is DrawdownStatus.FAILED


def test_a_line_with_a_reservation_cannot_be_closed_even_if_the_caller_read_it_unused(repo) -> None:  # type: ignore[no-untyped-def]
    import uuid

    line = _line(repo, 10_000)
    read_before = repo.get_credit_line(line.credit_line_id)  # unused when read...
    dd = _drawdown(repo, line, 1_000, uuid.uuid4().hex[:8])
    _reserve(repo, dd)  # ...then a drawdown reserves
    assert not repo.close_credit_line(read_before, DomainEvent("CreditLineClosed", line.credit_line_id, "test"))
    assert repo.get_credit_line(line.credit_line_id).status.value == "ACTIVE"
    dd.release("test", "test")
    assert repo.release_reservation(dd)
    assert repo.close_credit_line(read_before, DomainEvent("CreditLineClosed", line.credit_line_id, "test"))
    assert repo.get_credit_line(line.credit_line_id).status.value == "CLOSED"


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


def test_a_payout_is_claimed_only_while_the_line_is_active_and_once(repo) -> None:  # type: ignore[no-untyped-def]
    from chalicelib.domain.credit_line import CreditLineStatus
    from chalicelib.domain.errors import CreditLineNotActiveError

    line = _line(repo)
    dd = _drawdown(repo, line, 1_000, "key-claim-0001")
    _reserve(repo, dd)
    dd.start_payout("test", datetime.now(UTC))
    repo.claim_payout(dd)
    started = repo.get_drawdown(dd.drawdown_id).payout_started_at
    assert started is not None
    again = repo.get_drawdown(dd.drawdown_id)
    assert not again.start_payout("test", datetime.now(UTC))  # a retried step: already started, nothing to store
    repo.claim_payout(again)
    assert repo.get_drawdown(dd.drawdown_id).payout_started_at == started
    other = _drawdown(repo, line, 1_000, "key-claim-0002")
    _reserve(repo, other)
    bootstrap.deps().warnings.save_warning(*_freeze_order(line.credit_line_id))
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.FROZEN
    with pytest.raises(CreditLineNotActiveError):
        other.start_payout("test", datetime.now(UTC))
        repo.claim_payout(other)
    assert repo.get_drawdown(other.drawdown_id).payout_started_at is None
    assert "PayoutStarted" not in [e["event"] for e in repo.audit_trail(other.drawdown_id)]


def _freeze_order(line_id: str):  # type: ignore[no-untyped-def]
    from chalicelib.domain import events as ev
    from chalicelib.domain.credit_line import CreditLineStatus
    from chalicelib.domain.early_warning import Signal, Source, WarningPolicy, apply_signal
    from chalicelib.ports import LineStatusChange

    signal = Signal("JUDICIAL_DISHONEST_DEBTOR", Source.JUDICIAL, f"case-{line_id}", datetime.now(UTC))
    warning = apply_signal(None, signal, WarningPolicy(), new_id=f"warn_{line_id[-12:]}", customer_id="c1",
                           credit_line_id=line_id).warning
    return warning, LineStatusChange(line_id, CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN,
                                     DomainEvent(ev.CREDIT_LINE_FROZEN, line_id, "system:early-warning"))
