"""IAM enforced on the local stack, so that a permission the template forgot fails here as it would on AWS.

moto can check every request against the caller's IAM policies (its "initial no-auth action count"), but on its
own it checks most services against the resource ``*`` and under its own action names. A least-privilege policy
(``dynamodb:PutItem`` on one table) would then be refused for the wrong reason, and a policy that AWS refuses
(``lambda:Invoke`` is not an IAM action) would pass. This module makes the check say what AWS's would:

- the resource is the ARN the request names: the table (or index), the KMS key, the secret, the state machine,
  the function;
- the action is the IAM action: a DynamoDB transaction needs ``PutItem``/``UpdateItem``/``DeleteItem``/
  ``ConditionCheckItem`` on each table it touches; a Lambda ``Invoke`` needs ``lambda:InvokeFunction``;
- S3 answers 403 AccessDenied instead of NoSuchKey for a missing key when the caller may not ``s3:ListBucket``
  (AWS does not tell a caller without ListBucket whether a key exists);
- the Step Functions interpreter invokes the workflow's functions with the credentials of the state machines'
  role, not with moto's built-in test keys.

Who is calling: each function runs with the temporary credentials of its own role (``sts:AssumeRole`` on the
role the template gives it); code running outside any function (the stack's set-up, the tests' own checks)
uses an operator user that may do everything. ``acting_as(function)`` switches identity for the current thread
(a context variable), and every client the app builds signs with whatever identity is current at that moment.
DEV ONLY: imported by local/stack.py and the tests, never by chalicelib or app.py."""

from __future__ import annotations

import contextvars
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.credentials import Credentials, ReadOnlyCredentials

OPERATOR_USER = "local-operator"
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("local_function_identity", default=None)
_identities: dict[str, ReadOnlyCredentials] = {}  # function name -> its role's temporary credentials
_operator: list[ReadOnlyCredentials] = []
_denials: list[tuple[str, str, str]] = []
_lock = threading.Lock()
_log = logging.getLogger("local.iam")


# ---- identities -----------------------------------------------------------------------------------------
class ActingCredentials(Credentials):  # type: ignore[misc]
    """Credentials that are whichever identity is acting when a request is signed."""

    def __init__(self) -> None:
        super().__init__("unset", "unset")

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return current_credentials()

    @property  # type: ignore[override]
    def access_key(self) -> str:
        return str(current_credentials().access_key)

    @access_key.setter
    def access_key(self, value: str) -> None:
        pass

    @property  # type: ignore[override]
    def secret_key(self) -> str:
        return str(current_credentials().secret_key)

    @secret_key.setter
    def secret_key(self, value: str) -> None:
        pass

    @property  # type: ignore[override]
    def token(self) -> str | None:
        return current_credentials().token  # type: ignore[no-any-return]

    @token.setter
    def token(self, value: str | None) -> None:
        pass


def current_credentials() -> ReadOnlyCredentials:
    name = _current.get()
    if name is None:
        return _operator[0]
    if name not in _identities:  # a function without a role would run with no credentials on AWS too
        raise RuntimeError(f"function {name!r} has no role on the local stack")
    return _identities[name]


def acting_function() -> str | None:
    return _current.get()


@contextmanager
def acting_as(function_name: str) -> Iterator[None]:
    """Runs the body with the credentials of ``function_name``'s role (nested calls restore the caller's)."""
    token = _current.set(function_name)
    try:
        yield
    finally:
        _current.reset(token)


def sign_as_acting(client: Any) -> None:
    """bootstrap's client hook: the client signs every request as the identity acting at that moment."""
    client._request_signer._credentials = ActingCredentials()


def register_identity(function_name: str, credentials: dict[str, str]) -> None:
    _identities[function_name] = ReadOnlyCredentials(credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                                     credentials.get("SessionToken"))


def register_operator(access_key: str, secret_key: str) -> None:
    _operator[:] = [ReadOnlyCredentials(access_key, secret_key, None)]


def denials() -> list[tuple[str, str, str]]:
    """(acting function, IAM action, resource) of every refused request so far: what a failing test shows."""
    with _lock:
        return list(_denials)


def require(action: str, resource: str = "*") -> None:
    """For calls the local stack answers without reaching moto (Rekognition's saved answers): the acting identity
    must hold the permission, or the call fails with AWS's AccessDeniedException."""
    if not enforcing() or _current.get() is None:
        return
    from botocore.exceptions import ClientError

    owner = _credentials_owner(_account(), current_credentials().access_key, current_credentials().token)
    if owner is None or not _permitted(owner[1], action, resource):
        _record_denial(str(_current.get()), action, resource)
        raise ClientError({"Error": {"Code": "AccessDeniedException",
                                     "Message": f"not authorized to perform: {action}"}}, action.split(":")[1])


def signer_may(authorization: str, token: str | None, action: str, resource: str = "*") -> bool:
    """Whether the access key that signed a request (its Authorization header) holds the permission: for the
    local endpoints that stand in for a service moto does not answer (the saved Rekognition answers)."""
    import re

    if not enforcing():
        return True
    key = re.search(r"Credential=([A-Z0-9]+)/", authorization)
    owner = None if key is None else _credentials_owner(_account(), key.group(1), token)
    allowed = owner is not None and _permitted(owner[1], action, resource)
    if not allowed:
        _record_denial(_session_name(owner[1]) if owner else "anonymous", action, resource)
    return allowed


def _permitted(access_key: Any, action: str, resource: str) -> bool:
    """IAM's evaluation over the key's policies: an explicit Deny wins, and something must Allow."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    results = [IAMPolicy(p).is_action_permitted(action, resource) for p in access_key.collect_policies()]
    return PermissionResult.DENIED not in results and PermissionResult.PERMITTED in results


def _account() -> str:
    return "123456789012"  # moto's default account, where the local stack lives


# ---- enforcement ----------------------------------------------------------------------------------------
def enforce() -> None:
    """From now on every request to moto is authenticated and authorized (moto's switch, set to zero)."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    ActionAuthenticatorMixin.request_count = 0


def enforcing() -> bool:
    from moto import settings

    return bool(settings.INITIAL_NO_AUTH_ACTION_COUNT == 0)


def install() -> None:
    """Patches moto's authorization with the IAM actions and resources AWS would check."""
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.s3.responses import S3Response

    if getattr(ActionAuthenticatorMixin, "_local_iam", False):
        return
    ActionAuthenticatorMixin._local_iam = True  # type: ignore[attr-defined]
    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize  # type: ignore[method-assign]
    original_s3 = ActionAuthenticatorMixin._authenticate_and_authorize_s3_action

    def authorize_s3(self: Any, bucket_name: str | None = None, key_name: str | None = None) -> None:
        form = {k.lower() for k in self.querystring} if self.method == "POST" else set()
        if enforcing() and form & {"x-amz-credential", "awsaccesskeyid"}:
            return _authorize_form_upload(self, str(bucket_name))
        if enforcing() and "X-Amz-Signature" in self.querystring and "Authorization" not in self.headers:
            return _authorize_presigned_url(self, str(bucket_name), key_name)
        try:
            original_s3(self, bucket_name=bucket_name, key_name=key_name)
        except Exception:
            _record_denial(_caller(self), f"s3:{self.data.get('Action', '?')}", f"{bucket_name}/{key_name or ''}")
            raise

    ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = authorize_s3  # type: ignore[method-assign]
    _install_s3_missing_key_rule(S3Response)
    _install_states_credentials()


def _record_denial(principal: str, action: str, resource: str) -> None:
    who = principal.rsplit("/", 1)[-1]  # the session name: the function's name, or the operator
    with _lock:
        _denials.append((who, action, resource))
    _log.warning("IAM denied %s on %s to %s", action, resource, who)


def _caller(response: Any) -> str:
    """The principal a request was signed by (for the denial record): its access key's session or user."""
    import re

    key = re.search(r"Credential=([A-Z0-9]+)/", response.headers.get("Authorization", ""))
    if key is None:
        return "anonymous"
    from moto.sts.models import sts_backends

    for role in sts_backends[response.current_account]["aws"].assumed_roles:
        if role.access_key_id == key.group(1):
            return str(role.session_name)
    return OPERATOR_USER


_JSON_SERVICES = {"dynamodb", "kms", "secretsmanager", "stepfunctions", "lambda", "awslambda", "rekognition",
                  "textract", "cognito-idp", "logs"}


def _authorize(self: Any, resource: str = "*") -> None:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.access_control import IAMRequest

    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    if self.headers.get("X-Amz-Target") in ActionAuthenticatorMixin.PUBLIC_OPERATIONS:
        return
    from urllib.parse import urlparse

    query = urlparse(self.uri).query
    path = self.raw_path + (f"?{query}" if query else "")
    for action, arn in _checks(self, resource):
        # a GET's query parameters are in the path: moto would sign them again as a body (and never match)
        data = {} if self.method in ("GET", "HEAD", "DELETE") and not self.raw_body else self.data
        request = IAMRequest(account_id=self.current_account, method=self.method, path=path, data=data,
                             body=self.raw_body, headers=self.headers, action=action)
        request.check_signature()
        try:
            request.check_action_permitted(arn)
        except Exception:
            _record_denial(request._access_key.arn, request._action, arn)
            if self.service_name in _JSON_SERVICES:  # AWS answers JSON services in JSON: AccessDeniedException
                from moto.core.exceptions import JsonRESTError

                raise JsonRESTError("AccessDeniedException", f"{request._access_key.arn} is not authorized to "
                                    f"perform: {request._action} on resource: {arn}") from None
            raise


# ---- what AWS checks, per service -----------------------------------------------------------------------
def _checks(response: Any, resource: str) -> list[tuple[str, str]]:
    """[(IAM action without the service prefix, resource ARN)] for one request."""
    service = response.service_name if hasattr(response, "service_name") else ""
    action = response._get_action()
    region, account = response.region, response.current_account
    body: Any = response.body  # moto has already parsed some services' JSON bodies
    try:
        body = json.loads(body or "{}") if isinstance(body, str | bytes) else body
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    if service == "dynamodb":
        return _dynamodb(action, body, region, account)
    if service == "kms" and body.get("KeyId"):
        return [(action, _kms_key_arn(body["KeyId"], region, account))]
    if service == "kms" and action == "Decrypt" and body.get("CiphertextBlob"):  # the key is named inside
        return [(action, _kms_key_arn(_ciphertext_key(body["CiphertextBlob"]), region, account))]
    if service == "secretsmanager" and body.get("SecretId"):
        return [(action, _secret_arn(body["SecretId"], region, account))]
    if service == "stepfunctions":
        arn = body.get("stateMachineArn") or body.get("executionArn")
        if action == "StartExecution" and arn:
            return [(action, arn)]
        if action in {"DescribeExecution", "StopExecution", "GetExecutionHistory"} and arn:
            return [(action, arn)]
        return [(action, resource)]
    if service == "cognito-idp" and body.get("UserPoolId"):  # administrator calls name their pool
        return [(action, f"arn:aws:cognito-idp:{region}:{account}:userpool/{body['UserPoolId']}")]
    if service == "lambda" or service == "awslambda":
        name = _lambda_function_from_path(response.raw_path)
        if name:
            arn = name if name.startswith("arn:") else f"arn:aws:lambda:{region}:{account}:function:{name}"
            return [("InvokeFunction" if action in {"Invoke", "InvokeAsync"} else action, arn)]
    return [(action, resource)]


_DYNAMODB_ITEM_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                          "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def _dynamodb(action: str, body: dict[str, Any], region: str, account: str) -> list[tuple[str, str]]:
    def table_arn(name: str, index: str | None = None) -> str:
        arn = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
        return f"{arn}/index/{index}" if index else arn

    if action in {"TransactWriteItems", "TransactGetItems"}:  # no IAM action of their own: each item's
        checks = []
        for item in body.get("TransactItems", []):
            for kind, spec in item.items():
                checks.append((_DYNAMODB_ITEM_ACTIONS[kind], table_arn(spec["TableName"])))
        return sorted(set(checks))
    if action in {"BatchWriteItem", "BatchGetItem"}:
        return [(action, table_arn(name)) for name in sorted(body.get("RequestItems", {}))]
    if body.get("TableName"):
        return [(action, table_arn(body["TableName"], body.get("IndexName")))]
    return [(action, "*")]


def _kms_key_arn(key_id: str, region: str, account: str) -> str:
    if key_id.startswith("arn:"):
        return key_id
    if key_id.startswith("alias/"):  # AWS authorizes against the key the alias points to
        from moto.kms.models import kms_backends

        key_id = kms_backends[account][region].get_key_id_from_alias(key_id) or key_id
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


def _ciphertext_key(blob: str) -> str:
    import base64

    from moto.kms.utils import _deserialize_ciphertext_blob

    try:
        return str(_deserialize_ciphertext_blob(base64.b64decode(blob)).key_id)
    except Exception:  # not a ciphertext: the service's own error follows
        return "*"


def _secret_arn(secret_id: str, region: str, account: str) -> str:
    if secret_id.startswith("arn:"):
        return secret_id
    from moto.secretsmanager.models import secretsmanager_backends

    try:
        return str(secretsmanager_backends[account][region].describe_secret(secret_id).arn)
    except Exception:  # an unknown secret: the service's own error follows
        return f"arn:aws:secretsmanager:{region}:{account}:secret:{secret_id}"


def _lambda_function_from_path(path: str) -> str | None:
    parts = path.split("/")
    if "functions" in parts:
        index = parts.index("functions")
        if index + 1 < len(parts):
            from urllib.parse import unquote

            return unquote(parts[index + 1])
    return None


# ---- S3: a browser's form upload is signed in its fields, by whoever made the presigned POST --------------------
def _authorize_form_upload(response: Any, bucket: str) -> None:
    """What S3 checks for a POST upload (moto checks none of it): the policy's SigV4 signature by the key in
    x-amz-credential (and its session token), the policy's expiry and conditions, and that the signer may
    s3:PutObject the key."""
    import base64
    import datetime
    import hashlib
    import hmac

    from moto.s3.exceptions import S3AccessDeniedError

    fields = {k.lower(): v[0] for k, v in response.querystring.items() if isinstance(v, list) and v}
    if "x-amz-credential" not in fields:  # signature version 2: refused for SSE-KMS buckets, as ours are
        _record_denial("signature-v2", "s3:PutObject", bucket)
        raise S3AccessDeniedError()
    policy_b64 = fields.get("policy", "")
    key_id, date, region, service, _ = (fields["x-amz-credential"].split("/") + [""] * 5)[:5]
    owner = _credentials_owner(response.current_account, key_id, fields.get("x-amz-security-token"))
    if owner is None:
        raise S3AccessDeniedError()
    secret, access_key = owner
    signing_key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(signing_key, policy_b64.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        raise S3AccessDeniedError()
    policy = json.loads(base64.b64decode(policy_b64))
    expires = datetime.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    size = len(response.body) if isinstance(response.body, bytes | str) else 0
    if expires < datetime.datetime.now(datetime.UTC) or not _conditions_hold(policy, fields, bucket):
        raise S3AccessDeniedError()
    if _fields_outside_policy(policy, fields):  # S3: "Invalid according to Policy: Extra input fields"
        raise S3AccessDeniedError()
    _size_allowed(policy, size)
    resource = f"arn:aws:s3:::{bucket}/{fields.get('key', '')}"
    if not _permitted(access_key, "s3:PutObject", resource):
        _record_denial(_session_name(access_key), "s3:PutObject", resource)
        raise S3AccessDeniedError()


def _authorize_presigned_url(response: Any, bucket: str, key: str | None) -> None:
    """A presigned URL (a contract download): its SigV4 query signature recomputed with the signer's secret, its
    expiry, and the signer's permission for the action on the key."""
    import datetime
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials
    from moto.s3.exceptions import S3AccessDeniedError

    query = {k: v[0] for k, v in response.querystring.items() if k.startswith("X-Amz-")}
    key_id, _date, region, service, _ = (query.get("X-Amz-Credential", "").split("/") + [""] * 5)[:5]
    owner = _credentials_owner(response.current_account, key_id, query.get("X-Amz-Security-Token"))
    if owner is None:
        raise S3AccessDeniedError()
    secret, access_key = owner
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    expires = int(query.get("X-Amz-Expires", "0"))
    if signed_at + datetime.timedelta(seconds=expires) < datetime.datetime.now(datetime.UTC):
        raise S3AccessDeniedError()
    url = urlsplit(response.uri)
    kept = [(k, v) for k, v in parse_qsl(url.query, keep_blank_values=True) if not k.startswith("X-Amz-")]
    # encoded as the signer encoded it (a space is %20, not +): response-* parameters may hold spaces
    request = AWSRequest(method=response.method, url=urlunsplit(url._replace(query=urlencode(kept, quote_via=quote))),
                         headers={"host": response.headers.get("Host", url.netloc)})
    request.context["timestamp"] = query["X-Amz-Date"]
    auth = S3SigV4QueryAuth(BotoCredentials(key_id, secret, query.get("X-Amz-Security-Token")), service, region,
                            expires=expires)
    # add_auth would stamp the request with the current second: the signature is recomputed at the signing time
    auth._modify_request_before_signing(request)
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    if expected != query.get("X-Amz-Signature"):
        raise S3AccessDeniedError()
    action = "s3:" + str(response.data.get("Action", "GetObject"))
    resource = f"arn:aws:s3:::{bucket}/{key or ''}"
    if not _permitted(access_key, action, resource):
        _record_denial(_session_name(access_key), action, resource)
        raise S3AccessDeniedError()


def _conditions_hold(policy: dict[str, Any], fields: dict[str, str], bucket: str) -> bool:
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            (name, value), = condition.items()
            actual = bucket if name == "bucket" else fields.get(name.lower())
            if actual != value:
                return False
        elif condition[0] in {"eq", "starts-with"}:
            actual = fields.get(condition[1].lstrip("$").lower(), "")
            if (condition[0] == "eq" and actual != condition[2]) or not actual.startswith(condition[2]):
                return False
    return True


_NEVER_IN_POLICY = {"x-amz-signature", "file", "policy"}


def _fields_outside_policy(policy: dict[str, Any], fields: dict[str, str]) -> set[str]:
    """S3 refuses a form field the policy's conditions do not name (but the signature, the file, the policy itself
    and x-ignore-* fields): an uploader cannot add acl=public-read or a success_action_redirect to any site. moto
    stores them; this refuses them as S3 does."""
    named = set()
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            named.update(k.lower() for k in condition)
        elif isinstance(condition, list) and len(condition) > 1 and str(condition[1]).startswith("$"):
            named.add(str(condition[1])[1:].lower())
    return {f for f in fields if f not in named and f not in _NEVER_IN_POLICY and not f.startswith("x-ignore-")}


def _size_allowed(policy: dict[str, Any], size: int) -> None:
    """S3 answers 400 EntityTooLarge / EntityTooSmall when the file is outside the form's content-length-range."""
    from moto.s3.exceptions import S3ClientError

    for condition in policy.get("conditions", []):
        if isinstance(condition, list) and condition[0] == "content-length-range":
            if size > condition[2]:
                raise S3ClientError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if size < condition[1]:
                raise S3ClientError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")


def _credentials_owner(account: str, key_id: str, token: str | None) -> tuple[str, Any] | None:
    from moto.iam.access_control import AssumedRoleAccessKey, CreateAccessKeyFailure, IAMUserAccessKey

    try:
        if token:
            access = AssumedRoleAccessKey(account, "aws", key_id, {"X-Amz-Security-Token": token})
        else:
            access = IAMUserAccessKey(account, "aws", key_id, {})
    except CreateAccessKeyFailure:
        return None
    return str(access._secret_access_key), access


def _session_name(access_key: Any) -> str:
    return str(getattr(access_key, "_session_name", None) or getattr(access_key, "_owner_user_name", "?"))


# ---- S3: a missing key is not admitted to a caller who may not list the bucket -----------------------------
def _install_s3_missing_key_rule(s3_response: Any) -> None:
    original = s3_response._key_response_get

    def key_get(self: Any, query: dict[str, Any], key_name: str) -> Any:
        from moto.s3.exceptions import MissingKey, S3AccessDeniedError

        try:
            return original(self, query, key_name)
        except MissingKey:
            if enforcing() and not _may_list(self):
                raise S3AccessDeniedError() from None
            raise

    s3_response._key_response_get = key_get


def _may_list(response: Any) -> bool:
    response.data["Action"] = "ListBucket"
    try:
        response._authenticate_and_authorize_s3_action(bucket_name=response.bucket_name)
    except Exception:
        return False
    finally:
        response.data["Action"] = "GetObject"
    return True


# ---- Step Functions invokes the workflow's functions as its own role ---------------------------------------
def register_states_identity(credentials: dict[str, str]) -> None:
    _identities["states"] = ReadOnlyCredentials(credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                                credentials.get("SessionToken"))


def _install_states_credentials() -> None:
    import boto3
    from botocore.config import Config
    from moto.settings import moto_server_port
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

    clients: dict[tuple[Any, ...], Any] = {}

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        creds = _identities.get("states") if enforcing() else None
        key = (region, service, creds)
        if key not in clients:  # one per identity, as the service's own would be: building one costs ~50 ms
            clients[key] = new_client(region, service, creds)
        return clients[key]

    def new_client(region: str, service: str, creds: Any) -> Any:
        return boto3.client(
            service, region_name=region, endpoint_url=f"http://localhost:{moto_server_port()}",
            aws_access_key_id=creds.access_key if creds else "ak",
            aws_secret_access_key=creds.secret_key if creds else "sk",
            aws_session_token=creds.token if creds else None,
            config=Config(parameter_validation=False, retries={"max_attempts": 0, "total_max_attempts": 1},
                          connect_timeout=60, read_timeout=600))

    lambda_eval_utils.boto_client_for = boto_client_for  # type: ignore[attr-defined]
