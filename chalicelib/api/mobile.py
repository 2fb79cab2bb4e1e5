"""The customer's side of the web: the mobile (H5) client's static files at /app/, served by the API on its own
origin like the console, and the public facts a client shows before anyone signs in (the product, the consent
texts) plus the customer's sign-in for that reference client. A bank's native app signs in against the user pool
itself; the H5 client uses this route so that its page talks to one origin only."""

from __future__ import annotations

from pathlib import Path

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.consent_texts import CONSENTS
from ..domain.errors import ForbiddenError
from ..domain.products import PRODUCTS
from ..services.back_office import officer_session
from . import models as m
from . import views
from .console import documents_origin, security_headers, static_file
from .http import current_request, handles_errors, ok, parse
from .spec import operation

mobile = Blueprint(__name__)
ROOT = Path(__file__).resolve().parents[1] / "web" / "h5"


def _headers() -> dict[str, str]:
    """Uploads go to the documents bucket (a form POST the page sends without reading the answer); previews are the
    phone's own pictures (blob:); the PDF worker comes from this origin."""
    return security_headers(connect_sources=documents_origin(), workers=True)


@mobile.route("/app", methods=["GET"])
def app_root() -> Response:
    return Response(body="", status_code=302, headers={"Location": "/app/index.html", "Cache-Control": "no-store"})


@mobile.route("/app/{name}", methods=["GET"])
@handles_errors
def app_file(name: str) -> Response:
    return static_file(ROOT, name, _headers())


@mobile.route("/app/vendor/{name}", methods=["GET"])
@handles_errors
def app_vendor_file(name: str) -> Response:
    return static_file(ROOT, f"vendor/{name}", _headers())


@mobile.route("/v1/session", methods=["POST"])
@operation("A customer's sign-in for the H5 client: username and password for an access token (15 minutes); the "
           "bank's staff sign in to the console instead", {200: m.CustomerSessionOut}, m.ConsoleSessionIn,
           errors=(400, 401, 403, 422), public=True)
@handles_errors
def customer_session() -> Response:
    deps = bootstrap.deps()
    body = parse(current_request(), m.ConsoleSessionIn)
    session = officer_session.sign_in(deps, body.username, body.password)
    if deps.settings.risk_officer_group in session.groups:
        raise ForbiddenError("staff accounts sign in to the console, not to the customers' app")
    return ok(m.CustomerSessionOut(access_token=session.access_token, expires_in=session.expires_in))


@mobile.route("/v1/products", methods=["GET"])
@operation("The products the bank sells in the app, as the customer chooses between them before applying: who may "
           "apply, the line and price range, terms, repayment methods, grace and harvest months",
           {200: m.ProductListOut}, errors=(), public=True, tags=("public",))
@handles_errors
def list_products() -> Response:
    settings = bootstrap.deps().settings
    return ok(m.ProductListOut(items=[views.product(p, settings) for p in PRODUCTS.values()]))


@mobile.route("/v1/products/{product_code}", methods=["GET"])
@operation("The product as the app presents it before anyone applies: who may apply, the line and price range, "
           "terms and repayment methods", {200: m.ProductOut}, errors=(400, 404), public=True, tags=("public",))
@handles_errors
def get_product(product_code: str) -> Response:
    return ok(views.product(PRODUCTS.product(product_code), bootstrap.deps().settings))


@mobile.route("/v1/consents", methods=["GET"])
@operation("The consent texts an applicant reads and gives, one by one, before applying (each kind's current "
           "version; the application records the version given)", {200: m.ConsentTextListOut}, errors=(),
           public=True, tags=("public",))
@handles_errors
def list_consent_texts() -> Response:
    return ok(m.ConsentTextListOut(items=[m.ConsentTextOut(kind=c.kind, version=c.version, title=c.title,  # type: ignore[arg-type]
                                                           text=c.text) for c in CONSENTS]))
