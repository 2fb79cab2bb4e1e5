"""Chalice entry point: routing only. The API, the workflow steps and the event handlers live in chalicelib/."""

from __future__ import annotations

import os
from typing import Any

# No pydantic plugin is used: without this, the first model built scans every installed package's entry points
# for one (~20 ms of each cold start). Set before anything imports pydantic.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from chalice import Chalice, Response  # (after the setting above)

from chalicelib.api.applications import applications
from chalicelib.api.auth import auth
from chalicelib.api.backoffice import backoffice
from chalicelib.api.compliance import compliance
from chalicelib.api.console import console
from chalicelib.api.credit_reporting import reporting
from chalicelib.api.customer import customer
from chalicelib.api.dev import dev
from chalicelib.api.http import error_response, handling, path_parameter_problem
from chalicelib.api.lending import lending
from chalicelib.api.meta import meta
from chalicelib.api.mobile import mobile
from chalicelib.api.officer_files import officer_files
from chalicelib.api.workout import workout
from chalicelib.observability import flush_metrics, logger, traced
from chalicelib.workflow.handlers import steps

app = Chalice(app_name="lending")
app.experimental_feature_flags.update(["BLUEPRINTS"])
for blueprint in (handling, auth, customer, applications, lending, backoffice, officer_files, compliance, reporting,
                  workout, console, mobile, meta, steps):
    app.register_blueprint(blueprint)
if os.environ.get("STAGE") == "local":
    app.register_blueprint(dev)  # the dev outbox does not exist outside the local stage


app.register_middleware(traced, "all")  # X-Ray subsegment per invocation (a no-op outside Lambda)


@app.middleware("http")
def api_conventions(event: Any, get_response: Any) -> Response:
    """Correlation id for every log line; Chalice's own errors (405, 415, 500) in the API's error format."""
    params = event.uri_params or {}
    bad = path_parameter_problem(params)
    if bad:
        return error_response(400, "BAD_REQUEST", "a path parameter is malformed", {"parameter": bad})
    correlation = params.get("application_id") or params.get("drawdown_id") or params.get("credit_line_id") \
        or params.get("loan_id") or event.context.get("requestId")
    logger.set_correlation_id(correlation)
    try:
        response: Response = get_response(event)
    finally:
        flush_metrics()  # metrics an API command added (signed contracts, repayments) are published
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
        fallback = "BAD_REQUEST" if response.status_code < 500 else "INTERNAL_ERROR"
        code = CHALICE_CODES.get(response.status_code, fallback)
        return error_response(response.status_code, code, str(body.get("Message", "")),
                              headers={k: str(v) for k, v in response.headers.items() if k.lower() == "allow"})
    return response


# Chalice's own refusals (before a view runs), named as the API names its errors
CHALICE_CODES = {400: "BAD_REQUEST", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
                 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 500: "INTERNAL_ERROR"}
