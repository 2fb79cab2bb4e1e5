"""The customer's side of the web: the mobile (H5) client's static files at /app/, served by the API on its own
origin like the console, and the public facts a client shows before anyone signs in (the product, the consent
texts) plus the customer's sign-in for that reference client. A bank's native app signs in against the user pool
itself; the H5 client uses this route so that its page talks to one origin only."""

from __future__ import annotations

from pathlib import Path

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.consent_texts import CONSENTS
from ..domain.errors import ForbiddenError, NotFoundError
from ..domain.products import PRODUCTS
from ..services.back_office import officer_session
from . import models as m
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


@mobile.route("/v1/products/{product_code}", methods=["GET"])
@operation("The product as the app presents it before anyone applies: who may apply, the line and price range, "
           "terms and repayment methods", {200: m.ProductOut}, errors=(400, 404), public=True, tags=("public",))
@handles_errors
def get_product(product_code: str) -> Response:
    product = PRODUCTS.get(product_code)
    if product is None:
        raise NotFoundError("no such product")
    from ..services.origination.credit import policy_of  # loads with what uses it, not with every function

    policy = policy_of(bootstrap.deps())
    rates = [rate for _, rate in policy.rate_by_grade]
    return ok(m.ProductOut(
        product_code=product.code, name=product.name_zh,
        summary="面向个体工商户和小微企业主的线上经营贷款：在手机上申请，额度循环使用，随借随还，按日计息。",
        eligibility=[f"年满{policy.min_age}周岁、不超过{policy.max_age}周岁的中国大陆居民，持有效居民身份证",
                     f"个体工商户或小微企业主，经营满{policy.min_business_years}年，有正常纳税记录",
                     "本人名下的银行结算账户，用于收款和还款", "无当前逾期"],
        min_line_fen=product.min_line.fen, max_line_fen=product.max_line.fen,
        min_annual_rate=f"{min(rates):.4f}", max_annual_rate=f"{max(rates):.4f}",
        term_months=list(product.term_months), repayment_methods=[r.value for r in product.repayment_methods],
        line_validity_months=product.line_validity_months, fees="无任何手续费"))


@mobile.route("/v1/consents", methods=["GET"])
@operation("The consent texts an applicant reads and gives, one by one, before applying (each kind's current "
           "version; the application records the version given)", {200: m.ConsentTextListOut}, errors=(),
           public=True, tags=("public",))
@handles_errors
def list_consent_texts() -> Response:
    return ok(m.ConsentTextListOut(items=[m.ConsentTextOut(kind=c.kind, version=c.version, title=c.title,  # type: ignore[arg-type]
                                                           text=c.text) for c in CONSENTS]))
