"""The local stage's own routes, for developers and the demo: the SMS the bank "sent", running the auto-debit
for a date, delivering a record as the bank's feeds would. app.py registers them on the local stage only, and
each refuses (404) anywhere else as well."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.business_date import utcnow
from ..domain.errors import NotFoundError
from ..domain.external_records import FeedSource
from ..services import monitoring, notifications
from ..services.monitoring import sweep
from ..services.servicing import auto_debit as servicing
from ..services.servicing import credit_lines
from . import models as m
from . import views
from .auth import jwt_authorizer
from .http import current_request, customer_id, handles_errors, ok, parse
from .spec import operation

dev = Blueprint(__name__)


@dev.route("/v1/dev/outbox", methods=["GET"], authorizer=jwt_authorizer)
@operation("LOCAL STAGE ONLY: the SMS the bank 'sent' me (404 on any other stage)", {200: m.OutboxOut},
           tags=("dev",), errors=(401, 404))
@handles_errors
def dev_outbox() -> Response:
    deps = bootstrap.deps()
    if not deps.settings.is_local:
        raise NotFoundError("not found")
    messages = notifications.outbox(deps, customer_id(current_request()))
    return ok(m.OutboxOut(items=[views.outbox_message(x) for x in messages]))


@dev.route("/v1/dev/auto-debit", methods=["POST"], authorizer=jwt_authorizer)
@operation("LOCAL STAGE ONLY: run the scheduled auto-debit for a given date", {200: m.AutoDebitRunOut},
           m.AutoDebitRunIn, tags=("dev",), errors=(400, 401, 404, 422))
@handles_errors
def dev_auto_debit() -> Response:
    deps = bootstrap.deps()
    if not deps.settings.is_local:
        raise NotFoundError("not found")
    body = parse(current_request(), m.AutoDebitRunIn)
    return ok(m.AutoDebitRunOut(**servicing.run_auto_debit(deps, body.date)))


@dev.route("/v1/dev/external-records", methods=["POST"], authorizer=jwt_authorizer)
@operation("LOCAL STAGE ONLY: deliver a court, registry, tax or bureau record as the bank's feed would",
           {202: m.ExternalRecordOut}, m.ExternalRecordIn, tags=("dev",), errors=(400, 401, 404, 422))
@handles_errors
def dev_external_record() -> Response:
    """Writes the record where the real feed writes (external/ in the reports bucket; locally this route signs
    as the feed's role), which fires the same event the feed's records fire."""

    deps = bootstrap.deps()
    if not deps.settings.is_local:
        raise NotFoundError("not found")
    body = parse(current_request(), m.ExternalRecordIn)
    record = monitoring.receive(FeedSource(body.source), body.record, utcnow(), body.id_number, body.registration_no)
    key = monitoring.deliver_as_the_feed(deps, record)
    return ok(m.ExternalRecordOut(key=key, source=record.source.value, record_id=record.record_id), status=202)


@dev.route("/v1/dev/core-banking/top-ups", methods=["POST"], authorizer=jwt_authorizer)
@operation("LOCAL STAGE ONLY: money arrives on my line's repayment account (one ending 0009, whose collections the "
           "core simulator refuses until then)", {200: m.TopUpOut}, m.TopUpIn, tags=("dev",),
           errors=(400, 401, 404, 422))
@handles_errors
def dev_top_up() -> Response:
    deps = bootstrap.deps()
    if not deps.settings.is_local:
        raise NotFoundError("not found")
    body = parse(current_request(), m.TopUpIn)
    return ok(m.TopUpOut(account_masked=credit_lines.top_up(deps, customer_id(current_request()),
                                                            body.credit_line_id)))


@dev.route("/v1/dev/sweeps", methods=["POST"], authorizer=jwt_authorizer)
@operation("LOCAL STAGE ONLY: sweep my lines as the daily sweep would on a given day (collections, reminders, "
           "signals, classification), without sweeping anyone else's", {200: m.LineSweepOut}, m.LineSweepIn,
           tags=("dev",), errors=(400, 401, 404, 422))
@handles_errors
def dev_sweep_lines() -> Response:
    deps = bootstrap.deps()
    if not deps.settings.is_local:
        raise NotFoundError("not found")
    body = parse(current_request(), m.LineSweepIn)
    mine = [credit_lines.owned_line(deps, customer_id(current_request()), i).credit_line_id
            for i in body.credit_line_ids]
    return ok(m.LineSweepOut(**sweep.sweep_lines(deps, mine, body.day)))
