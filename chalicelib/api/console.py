"""The back-office console (信贷管理台): its static files, served by the API itself on the same origin, so that
the console is one more client of the JSON API under a strict Content-Security-Policy (scripts, styles and calls
to this origin only), and officers' sign-in, which exchanges a username and password for a Cognito access token
(kept by the console in memory only).

Served through API Gateway like every route (no separate bucket or CDN to keep in step with the API); the files
are a few KB of our own plus the vendored chart library (chalicelib/web/console/vendor/README.md)."""

from __future__ import annotations

import os
from pathlib import Path

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.errors import ForbiddenError, NotFoundError
from ..services.back_office import officer_session
from . import models as m
from .http import current_request, handles_errors, ok, parse
from .spec import operation

console = Blueprint(__name__)
WEB = Path(__file__).resolve().parents[1] / "web"  # inside chalicelib: chalice packages it with the code
ROOT = WEB / "console"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".mjs": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}


def security_headers(img_sources: str = "", connect_sources: str = "", workers: bool = False) -> dict[str, str]:
    """Nothing but this origin runs or is called, beyond what a page names: the console's card images from the
    documents bucket's short-lived URLs; the mobile client's uploads to that bucket and its PDF worker."""
    csp = ("default-src 'none'; script-src 'self'; " + ("worker-src 'self'; " if workers else "")
           + f"style-src 'self'; connect-src 'self'{(' ' + connect_sources) if connect_sources else ''}; "
           f"font-src 'self'; img-src 'self' data: blob:{(' ' + img_sources) if img_sources else ''}; "
           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY", "Cache-Control": "no-store"}


def _file(relative: str) -> Response:
    return static_file(ROOT, relative, security_headers(img_sources=documents_origin()))


def static_file(root: Path, relative: str, headers: dict[str, str]) -> Response:
    """A file of a fixed folder, of a known type; anything else (a path that escapes it, a directory) is a 404."""
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file() or path.suffix not in TYPES:
        raise NotFoundError("not found")
    return Response(body=path.read_text(encoding="utf-8"), status_code=200,
                    headers={"Content-Type": TYPES[path.suffix], **headers})


def documents_origin() -> str:
    """Where presigned S3 URLs point (card images, uploads): the S3 endpoint; locally the embedded AWS."""

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    return endpoint or f"https://*.s3.{bootstrap.get_settings().region}.amazonaws.com"


@console.route("/console", methods=["GET"])
def console_root() -> Response:
    return Response(body="", status_code=302, headers={"Location": "/console/index.html", "Cache-Control": "no-store"})


@console.route("/console/{name}", methods=["GET"])
@handles_errors
def console_file(name: str) -> Response:
    return _file(name)


@console.route("/console/vendor/{name}", methods=["GET"])
@handles_errors
def console_vendor_file(name: str) -> Response:
    return _file(f"vendor/{name}")


@console.route("/shared/{name}", methods=["GET"])
@handles_errors
def shared_file(name: str) -> Response:
    """What both screens import (the API client, building elements): one file, served to either page."""
    return static_file(WEB / "shared", name, security_headers())


@console.route("/v1/console/session", methods=["POST"])
@operation("Back-office sign-in: an officer's username and password for an access token (15 minutes); a "
           "customer's account is refused", {200: m.ConsoleSessionOut}, m.ConsoleSessionIn, tags=("back-office",),
           errors=(400, 401, 403, 422), public=True)
@handles_errors
def console_session() -> Response:
    deps = bootstrap.deps()
    body = parse(current_request(), m.ConsoleSessionIn)
    session = officer_session.sign_in(deps, body.username, body.password)
    if deps.settings.risk_officer_group not in session.groups:
        raise ForbiddenError("the console is for the bank's officers; customers use the mobile app")
    return ok(m.ConsoleSessionOut(access_token=session.access_token, expires_in=session.expires_in,
                                  officer=session.username, officer_id=session.officer_id))
