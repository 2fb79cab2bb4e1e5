"""Chalice entry point: routing only. The API, the workflow steps and the event handlers live in chalicelib/."""

from __future__ import annotations

import os
from typing import Any

from chalice import Chalice, Response

from chalicelib.api.applications import applications
from chalicelib.api.auth import auth
from chalicelib.api.backoffice import backoffice
from chalicelib.api.console import console
from chalicelib.api.http import error_response, handling, path_parameter_problem
from chalicelib.api.lending import lending
from chalicelib.api.meta import dev, meta
from chalicelib.api.mobile import mobile
from chalicelib.api.officer_files import officer_files
from chalicelib.observability import flush_metrics, logger, traced
from chalicelib.workflow.handlers import steps

app = Chalice(app_name="lending")
app.experimental_feature_flags.update(["BLUEPRINTS"])
for blueprint in (handling, auth, applications, lending, backoffice, officer_files, console, mobile, meta, steps):
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
        return error_response(response.status_code, str(body["Code"]).upper(), str(body.get("Message", "")),
                              headers={k: str(v) for k, v in response.headers.items() if k.lower() == "allow"})
    return response
