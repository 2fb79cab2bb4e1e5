from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalice import Blueprint

from .. import bootstrap
from ..domain.business_date import business_date, utcnow
from ..domain.errors import LendingError
from ..observability import logger, metrics, publishes_metrics
from ..services import monitoring
from ..services.compliance import credit_reporting
from ..services.monitoring import sweep
from ..services.origination import contracts, documents, origination_steps, pre_approvals
from ..services.servicing import drawdowns
from .s3_notifications import each_object_created

steps = Blueprint(__name__)


# Every log line of a step carries the application or drawdown it works on as its correlation id, with the
# function's name, request id and whether it started cold (Powertools reads them from the event and context);
# clear_state drops what an earlier invocation of the warm container appended. The event is not logged.
application_step = logger.inject_lambda_context(correlation_id_path="application_id", clear_state=True)
drawdown_step = logger.inject_lambda_context(correlation_id_path="drawdown_id", clear_state=True)
shard_step = logger.inject_lambda_context(correlation_id_path="join('/', [day, to_string(shard)])", clear_state=True)
segment_step = logger.inject_lambda_context(correlation_id_path="join('', ['pre-approval/', to_string(segment)])",
                                            clear_state=True)


def _app_step(event: dict[str, Any]) -> str:
    return str(event["application_id"])


def _dd_step(event: dict[str, Any]) -> str:
    return str(event["drawdown_id"])


# ---- origination ----------------------------------------------------------------------------------------
@steps.lambda_function(name="verify_identity")
@metrics.log_metrics
@application_step
def verify_identity(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.verify_identity(bootstrap.deps(), _app_step(event))


@steps.lambda_function(name="gather_credit_data")
@metrics.log_metrics
@application_step
def gather_credit_data(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.gather_credit_data(bootstrap.deps(), _app_step(event))


@steps.lambda_function(name="score_application")
@metrics.log_metrics
@application_step
def score_application(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.score(bootstrap.deps(), _app_step(event))


@steps.lambda_function(name="await_review")
@metrics.log_metrics
@application_step
def await_review(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.await_review(bootstrap.deps(), _app_step(event), str(event["task_token"]))


@steps.lambda_function(name="await_in_person_verification")
@metrics.log_metrics
@application_step
def await_in_person_verification(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.await_in_person(bootstrap.deps(), _app_step(event), str(event["task_token"]))


@steps.lambda_function(name="make_offer")
@metrics.log_metrics
@application_step
def make_offer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.make_offer(bootstrap.deps(), _app_step(event), str(event["task_token"]))


@steps.lambda_function(name="decline_application")
@metrics.log_metrics
@application_step
def decline_application(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.decline(bootstrap.deps(), _app_step(event), event.get("error"))


@steps.lambda_function(name="expire_offer")
@metrics.log_metrics
@application_step
def expire_offer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.expire_offer(bootstrap.deps(), _app_step(event))


@steps.lambda_function(name="activate_credit_line")
@metrics.log_metrics
@application_step
def activate_credit_line(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.activate_credit_line(bootstrap.deps(), _app_step(event))


@steps.lambda_function(name="record_application_failure")
@metrics.log_metrics
@application_step
def record_application_failure(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return origination_steps.record_failure(bootstrap.deps(), _app_step(event), event.get("error") or {})


# ---- drawdown -------------------------------------------------------------------------------------------
@steps.lambda_function(name="reserve_limit")
@metrics.log_metrics
@drawdown_step
def reserve_limit(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.reserve_limit(bootstrap.deps(), _dd_step(event))


@steps.lambda_function(name="disburse_funds")
@metrics.log_metrics
@drawdown_step
def disburse_funds(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.disburse(bootstrap.deps(), _dd_step(event))


@steps.lambda_function(name="release_reservation")
@metrics.log_metrics
@drawdown_step
def release_reservation(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.release_reservation(bootstrap.deps(), _dd_step(event), event.get("error") or {})


@steps.lambda_function(name="book_loan")
@metrics.log_metrics
@drawdown_step
def book_loan(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.book_loan(bootstrap.deps(), _dd_step(event))


@steps.lambda_function(name="notify_disbursed")
@metrics.log_metrics
@drawdown_step
def notify_disbursed(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.notify_disbursed(bootstrap.deps(), _dd_step(event))


@steps.lambda_function(name="record_drawdown_failure")
@metrics.log_metrics
@drawdown_step
def record_drawdown_failure(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return drawdowns.record_drawdown_failure(bootstrap.deps(), _dd_step(event), event.get("error") or {})


# ---- event sources --------------------------------------------------------------------------------------
@steps.on_sqs_message(queue="lending-document-events", batch_size=10, name="on_document_uploaded")
@publishes_metrics
def on_document_uploaded(event: Any) -> dict[str, Any]:
    """S3 ObjectCreated notifications for the uploads bucket, delivered through SQS (chalice package cannot
    wire S3 events to a bucket it does not own; SQS also gives retries and a dead-letter queue)."""
    return each_object_created(event, "documents", lambda created, delivery: documents.on_object_created(
        bootstrap.deps(), created, delivery))


@steps.on_sqs_message(queue="lending-credit-report-events", batch_size=10, name="on_credit_report_stored")
@publishes_metrics
def on_credit_report_stored(event: Any) -> dict[str, Any]:
    """Event-triggered scoring: when a credit report lands in the reports bucket, score the application."""
    from ..services.origination import credit  # loads with what uses it, not with every function

    def score(created: Any, delivery: int) -> None:
        parts = created.key.split("/")
        if len(parts) == 3 and parts[0] == "reports" and parts[1].startswith("app_"):
            logger.set_correlation_id(parts[1])
            credit.assess(bootstrap.deps(), parts[1])

    return each_object_created(event, "credit-reports", score)


@steps.on_sqs_message(queue="lending-external-record-events", batch_size=10, name="on_external_record")
@publishes_metrics
def on_external_record(event: Any) -> dict[str, Any]:
    """Post-loan monitoring: a record from a feed (court list, registry, tax, bureau refresh) landed under
    external/ in the reports bucket; the customers it is about are evaluated at once."""

    def evaluate(created: Any, delivery: int) -> None:
        if created.key.startswith("external/"):
            monitoring.on_external_record(bootstrap.deps(), created.key)

    return each_object_created(event, "external-records", evaluate)


@steps.lambda_function(name="seal_contract")
@application_step
def seal_contract(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Signs and seals a reviewed contract for the API (the only function whose role may use the seal key). A
    refusal of the domain is answered as data; anything else fails the invocation."""

    from ..adapters.contract_records import contract_to_dict

    deps = bootstrap.deps()
    app = deps.repo.get_application(_app_step(event))
    try:
        contract = contracts.sign(deps.documents, deps.contracts, deps.settings.contract_retention_days, app,
                                  datetime.fromisoformat(event["now"]))
    except LendingError as err:
        return {"error": {"type": type(err).__name__, "code": err.code, "message": err.message,
                          "details": err.details}}
    return {"contract": contract_to_dict(contract)}


@steps.schedule("cron(30 1 * * ? *)", name="daily_sweep")  # 09:30 Beijing time, every day
@publishes_metrics
def daily_sweep(event: Any) -> dict[str, Any]:
    """Starts the day's portfolio sweep (infra/sweep.asl.json: auto-debit, early-warning signals, classification,
    portfolio figures, one task per shard) for the day the schedule fired (Beijing date): a run that starts late
    still sweeps that day; a second start of the same day is refused by name."""


    deps = bootstrap.deps()
    fired = getattr(event, "time", None)
    day = business_date(datetime.fromisoformat(fired.replace("Z", "+00:00"))) if fired else deps.clock.today()
    deps.workflow.start_daily_sweep(day)
    logger.info("daily sweep started", extra={"day": day.isoformat()})
    return {"day": day.isoformat()}


@steps.lambda_function(name="sweep_shard")
@metrics.log_metrics
@shard_step
def sweep_shard(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One shard of the daily sweep (a Distributed Map iteration)."""


    return sweep.sweep_shard(bootstrap.deps(), int(event["shard"]), date.fromisoformat(str(event["day"])))


@steps.lambda_function(name="pre_approve_segment")
@metrics.log_metrics
@segment_step
def pre_approve_segment(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One segment of the pre-approval batch (a Distributed Map iteration): the bank's own data only."""
    return pre_approvals.run_segment(bootstrap.deps(), int(event["segment"]), int(event["segments"]))


@steps.schedule("cron(0 0 1 * ? *)", name="report_to_credit_bureau")  # 08:00 Beijing on the 1st, before its sweep
@publishes_metrics
def report_to_credit_bureau(event: Any) -> dict[str, Any]:
    """The month-end credit-bureau report of the month that just ended (after its last day's sweep): one file per
    reporting date, so a second run of the schedule, or an officer's request, gets the same report."""
    deps = bootstrap.deps()
    fired = getattr(event, "time", None)
    today = business_date(datetime.fromisoformat(fired.replace("Z", "+00:00"))) if fired else deps.clock.today()
    return credit_reporting.month_end_run(deps, today)


@steps.schedule("cron(0 18 1 * ? *)", name="renew_archive_timestamps")  # monthly, 02:00 Beijing on the 2nd
@publishes_metrics
def renew_archive_timestamps(event: Any) -> dict[str, Any]:
    """PAdES-LTA renewal of the signed contracts whose last archive timestamp is older than the settings allow."""

    return contracts.renew_due_archive_timestamps(bootstrap.deps(), utcnow())
