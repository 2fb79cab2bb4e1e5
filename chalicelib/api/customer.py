"""The signed-in customer as the bank knows her: her record at the bank, masked, and the line pre-approved for her
if there is one. The login of the verified token is the only key: no request names whose record is read."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.customer_record import CustomerRecord, PreApproval
from ..domain.products import PRODUCTS
from ..services.origination import known_customer
from . import models as m
from .auth import jwt_authorizer
from .http import current_request, handles_errors, login, ok
from .spec import operation

customer = Blueprint(__name__)


@customer.route("/v1/customer/profile", methods=["GET"], authorizer=jwt_authorizer)
@operation("My record at the bank (masked) and my pre-approved line, if any; 404 CUSTOMER_RECORD_NOT_FOUND for a "
           "customer new to the bank, who applies with her details typed", {200: m.CustomerProfileOut},
           errors=(401, 404, 503))
@handles_errors
def get_profile() -> Response:
    record, pre_approval = known_customer.profile(bootstrap.deps(), login(current_request()))
    return ok(profile_out(record, pre_approval))


def pre_approved_product_code() -> str:
    product = PRODUCTS.pre_approved
    assert product is not None  # a pre-approval exists only when the catalogue names its product
    return product.code


def profile_out(record: CustomerRecord, pre_approval: PreApproval | None) -> m.CustomerProfileOut:
    masked = record.masked()
    return m.CustomerProfileOut(
        name_masked=masked.name, id_number_masked=masked.id_number, phone_masked=masked.phone,
        customer_since=record.customer_since,
        accounts=[m.OwnAccountOut(account_id=a, account_no_masked=n, account_class=c, status=s,  # type: ignore[arg-type]
                                  can_receive_payout=p) for a, n, c, s, p in masked.accounts],
        business=m.KnownBusinessOut(name=masked.business_name, registration_no=masked.business_registration_no)
        if masked.business_name and masked.business_registration_no else None,
        pre_approval=None if pre_approval is None else m.PreApprovalOut(
            limit_fen=pre_approval.limit.fen, annual_rate_from=pre_approval.annual_rate_from,
            valid_until=pre_approval.valid_until, product_code=pre_approved_product_code()))
