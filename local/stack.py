"""The whole system on one machine: moto server (embedded AWS), every resource from infra/resources.json, the
real handlers for Step Functions tasks and SQS events run in-process, and the API under chalice local.

    python -m local.stack run            # what `make run` does; Ctrl-C stops everything
    python -m local.stack token alice    # what `make token USER=alice` does

The running stack writes .local/stack.json (git-ignored): endpoints, ids and demo users, for scripts."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATE_FILE = ROOT / ".local" / "stack.json"
STACK_NAME = "lending-local"
DEMO_PASSWORD = "Local-Demo-Pass-1"  # local moto pool only
DOCUMENT_IMAGE = "lending/document-function:latest"  # scripts/document-image.sh builds it
DEMO_USERS = [
    {"username": "alice", "role": "customer", "groups": []},
    {"username": "bob", "role": "customer", "groups": []},
    {"username": "carol", "role": "customer", "groups": []},  # new to the bank: no record (alice and bob have one)
    {"username": "dave", "role": "customer", "groups": []},  # a farmer new to the bank: the seasonal loan
    {"username": "erin", "role": "customer", "groups": []},  # new to the bank: the loan that is lost and written off
    {"username": "frank", "role": "customer", "groups": []},  # new to the bank: the console's loan after payout
    {"username": "sandbox-thin", "role": "customer", "groups": []},  # the customer records' sandbox logins
    {"username": "sandbox-dormant", "role": "customer", "groups": []},
    {"username": "sandbox-falling", "role": "customer", "groups": []},
    {"username": "olivia", "role": "risk-officer", "groups": ["risk-officers"]},
    {"username": "oscar", "role": "risk-officer", "groups": ["risk-officers"]},
    # the compliance officer: sanctions and anti-money-laundering cases, and the console as a risk officer
    {"username": "clara", "role": "compliance-officer", "groups": ["risk-officers", "compliance-officers"]},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    moto_port: int
    region: str = "us-east-1"
    extra_env: dict[str, str] = field(default_factory=dict)
    server: Any = None
    resources: Any = None
    users: list[dict[str, Any]] = field(default_factory=list)
    enforce_iam: bool = True  # every function with its own role's permissions, as on AWS
    operator_key: tuple[str, str] = ("testing", "testing")
    image_functions: list[Any] = field(default_factory=list)
    faces_endpoint: Any = None
    sqs_poller: Any = None  # local/sqs_delivery.py: the queues' event source mappings

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"

    def _base_env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": self.region, "AWS_REGION": self.region, "AWS_ENDPOINT_URL": self.endpoint,
            "MOTO_PORT": str(self.moto_port), "MOTO_HOST": "http://127.0.0.1",
        }

    def start(self) -> Stack:
        """Starts moto, creates every resource, installs the in-process Lambda runtime, seeds demo users and
        exports the settings the handlers read into this process's environment."""
        os.environ.update(self._base_env())
        os.environ.setdefault("STAGE", "local")
        from moto.server import ThreadedMotoServer

        from local import moto_atomic, moto_cognito, moto_fast, moto_iam, moto_s3_events, sqs_delivery

        moto_atomic.install()  # one DynamoDB operation at a time, as atomic as the real service
        moto_fast.install()  # routing kept per host, DynamoDB's item answers written as JSON directly
        moto_s3_events.install()  # S3 event records carry the version id, as real S3 does
        moto_iam.install()  # IAM checked with the actions and resources AWS checks (switched on below)
        sqs_delivery.install()  # queue events delivered (and redelivered) as Lambda's SQS mappings do
        moto_cognito.install()  # tokens live as long as the app client says (minutes), not moto's hour

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self.server.start()
        _post_json(f"{self.endpoint}/moto-api/config", {"stepfunctions": {"execute_state_machine": True}})

        import boto3

        import app as chalice_module
        from local import cfn, lambda_runtime

        functions = lambda_runtime.install(chalice_module.app)
        session = boto3.session.Session(region_name=self.region)
        self.resources = cfn.create_stack(session, cfn.LocalStack(self.region, STACK_NAME), functions,
                                          lambda_runtime.identities(chalice_module.app))
        cfn.wire_event_sources(session, chalice_module.app, self.resources, functions)
        self._take_roles(session, lambda_runtime.identities(chalice_module.app))
        env = dict(self.resources.function_env)
        env["JWKS_URL"] = f"{self.endpoint}/{env['USER_POOL_ID']}/.well-known/jwks.json"
        env.update(self.extra_env)
        os.environ.update(env)
        # the local test CA (contract signatures): made once here, before any handler can race to make it
        from chalicelib.adapters.local_test_ca import LocalTestCa

        LocalTestCa(Path(os.environ.setdefault("LOCAL_PKI_DIR", str(ROOT / ".local" / "pki"))))
        self._seed_users(session, env["USER_POOL_ID"])
        from chalicelib import bootstrap
        from local import face_scenarios

        bootstrap.reset()
        bootstrap.on_client_created(face_scenarios.install_on)
        bootstrap.on_client_created(moto_iam.sign_as_acting)  # each function signs as its own role
        if self.enforce_iam:
            moto_iam.enforce()
        if os.environ.get("LOCAL_DOCUMENT_FUNCTION", "in-process") == "image":
            self.run_from_image("on_document_uploaded", os.environ.get("DOCUMENT_FUNCTION_IMAGE", DOCUMENT_IMAGE))
        self.sqs_poller = sqs_delivery.Poller().start()
        return self

    def run_from_image(self, chalice_name: str, image: str) -> Any:
        """From now on the function runs in its container image (built by scripts/document-image.sh), handed
        its events through a Runtime API as Lambda would, with its environment and its own role's credentials."""
        from local import lambda_runtime, moto_iam, runtime_api

        creds = moto_iam._identities[chalice_name]
        env = {k: v for k, v in os.environ.items() if k in self.resources.function_env or k.startswith("POWERTOOLS_")}
        from local.face_scenarios import RekognitionEndpoint

        if self.faces_endpoint is None:  # the saved face answers, over HTTP, for functions in containers
            self.faces_endpoint = RekognitionEndpoint()
        env.update({"STAGE": os.environ.get("STAGE", "local"), "AWS_REGION": self.region,
                    "AWS_DEFAULT_REGION": self.region, "AWS_ENDPOINT_URL": self.endpoint,
                    "AWS_ENDPOINT_URL_REKOGNITION": self.faces_endpoint.url,
                    "AWS_ACCESS_KEY_ID": creds.access_key, "AWS_SECRET_ACCESS_KEY": creds.secret_key,
                    "AWS_SESSION_TOKEN": creds.token or ""})
        function = runtime_api.ImageFunction(image, f"{STACK_NAME}-{chalice_name}", env, timeout_seconds=120)
        function.start()  # INIT before the first event, as Lambda does
        lambda_runtime.route(chalice_name, function)
        self.image_functions.append(function)
        return function

    def _take_roles(self, session: Any, identities: list[str]) -> None:
        """Each function's role assumed once (its credentials are what the function signs with); the states role
        for the workflow interpreter; and an operator user for everything that is not a function (set-up, the
        tests' own checks, the demo's token requests), whose keys replace moto's test keys in this process."""
        from local import cfn, lambda_runtime, moto_iam

        sts, iam = session.client("sts"), session.client("iam")
        for name in identities:
            role_arn = self.resources.attrs[(cfn.function_role_logical_id(name), "Arn")]
            moto_iam.register_identity(name, sts.assume_role(RoleArn=role_arn, RoleSessionName=name,
                                                             DurationSeconds=43200)["Credentials"])
        moto_iam.register_identity(lambda_runtime.FEED_IDENTITY, sts.assume_role(  # the record feed's writer
            RoleArn=self.resources.attrs[("ExternalRecordsFeedRole", "Arn")], RoleSessionName="feed",
            DurationSeconds=43200)["Credentials"])
        moto_iam.register_states_identity(sts.assume_role(
            RoleArn=self.resources.attrs[("StatesExecutionRole", "Arn")], RoleSessionName="states",
            DurationSeconds=43200)["Credentials"])
        iam.create_user(UserName=moto_iam.OPERATOR_USER)
        iam.put_user_policy(UserName=moto_iam.OPERATOR_USER, PolicyName="operator", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName=moto_iam.OPERATOR_USER)["AccessKey"]
        moto_iam.register_operator(key["AccessKeyId"], key["SecretAccessKey"])
        self.operator_key = (key["AccessKeyId"], key["SecretAccessKey"])
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.update({"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]})

    def _seed_users(self, session: Any, pool_id: str) -> None:
        idp = session.client("cognito-idp")
        self.users = []
        for user in DEMO_USERS:
            created = idp.admin_create_user(UserPoolId=pool_id, Username=user["username"],
                                            MessageAction="SUPPRESS")["User"]
            idp.admin_set_user_password(UserPoolId=pool_id, Username=user["username"], Password=DEMO_PASSWORD,
                                        Permanent=True)
            for group in user["groups"]:
                idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user["username"], GroupName=group)
            sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
            self.users.append({**user, "sub": sub, "password": DEMO_PASSWORD})

    def token(self, username: str) -> str:
        return issue_token(self.endpoint, self.region, os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_ID"],
                           username, operator_key=self.operator_key)

    def describe(self, api_url: str | None) -> dict[str, Any]:
        env = os.environ
        return {
            "api_url": api_url, "aws_endpoint_url": self.endpoint, "region": self.region,
            "user_pool_id": env["USER_POOL_ID"], "app_client_id": env["APP_CLIENT_ID"],
            "jwks_url": env["JWKS_URL"], "table_name": env["TABLE_NAME"],
            "uploads_bucket": env["UPLOADS_BUCKET"], "contracts_bucket": env["CONTRACTS_BUCKET"],
            "origination_state_machine_arn": env["ORIGINATION_STATE_MACHINE_ARN"],
            "drawdown_state_machine_arn": env["DRAWDOWN_STATE_MACHINE_ARN"],
            "pre_approval_state_machine_arn": env["PRE_APPROVAL_STATE_MACHINE_ARN"],
            "sweep_state_machine_arn": env["SWEEP_STATE_MACHINE_ARN"],
            "demo_users": self.users,
            "operator_key": list(self.operator_key),  # the local operator (moto only; IAM is enforced locally)
        }

    def stop(self) -> None:
        from local import sqs_delivery

        if self.sqs_poller is not None:
            self.sqs_poller.stop()
            sqs_delivery.clear()
        for function in self.image_functions:
            function.stop()
        if self.faces_endpoint is not None:
            self.faces_endpoint.close()
        if self.server is not None:
            self.server.stop()


def issue_token(endpoint: str, region: str, pool_id: str, client_id: str, username: str,
                password: str = DEMO_PASSWORD, operator_key: Any = ("testing", "testing")) -> str:
    """AdminInitiateAuth is an administrator's call: made with the local operator's keys (IAM is enforced)."""
    import boto3

    idp = boto3.client("cognito-idp", region_name=region, endpoint_url=endpoint, aws_access_key_id=operator_key[0],
                       aws_secret_access_key=operator_key[1])
    result = idp.admin_initiate_auth(UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": username, "PASSWORD": password})
    return str(result["AuthenticationResult"]["AccessToken"])


def _post_json(url: str, payload: dict[str, Any]) -> None:
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def serve_api(host: str, port: int) -> Any:
    """chalice local, in this process, with the shim that turns the authorizer's "Unauthorized" into a 401."""
    from chalice.cli import create_local_server
    from chalice.cli.factory import CLIFactory

    from local import chalice_shim

    chalice_shim.install()
    server = create_local_server(CLIFactory(str(ROOT), environ=os.environ), host, port, "local")
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="chalice-local")
    thread.start()
    return server


def run() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines drown the app's logs
    from local.ocr_check import loud, ocr_engine_problem

    problem = ocr_engine_problem()
    if problem:  # refuse to start rather than let every upload wait forever for a reader that cannot load
        sys.exit(loud(problem))
    moto_port = int(os.environ.get("LOCAL_MOTO_PORT", "4566"))
    api_port = int(os.environ.get("LOCAL_API_PORT", "8000"))
    stack = Stack(moto_port=moto_port).start()
    api_url = f"http://127.0.0.1:{api_port}"
    serve_api("127.0.0.1", api_port)
    STATE_FILE.parent.mkdir(exist_ok=True)
    STATE_FILE.write_text(json.dumps(stack.describe(api_url), indent=2), encoding="utf-8")
    from local.journey import run_pre_approval

    batch = run_pre_approval()  # the demo's records: alice's home shows her pre-approved line from the start
    print(f"""
  Lending backend running locally (stage: local)
    API            {api_url}   (OpenAPI: {api_url}/v1/openapi.json)
    Console        {api_url}/console/   (officers olivia and oscar, compliance clara, password {DEMO_PASSWORD})
    Mobile (H5)    {api_url}/app/       (customers alice and bob, whom the bank knows, and carol, new to
                   the bank; same password; a phone-sized window)
    pre-approval   {batch['offered']} of the bank's {batch['customers']} customers have a pre-approved line
                   (make pre-approve runs the batch again)
    AWS (moto)     {stack.endpoint}
    user pool      {os.environ['USER_POOL_ID']}   app client {os.environ['APP_CLIENT_ID']}
    demo users     {', '.join(f"{u['username']} ({u['role']})" for u in stack.users)}
    endpoints/ids  {STATE_FILE.relative_to(ROOT)}

  Get a token:   make token USER=alice
  Try it:        curl -H "Authorization: Bearer $(make -s token USER=alice)" {api_url}/v1/applications
  Whole journey: make demo      (in another terminal)
  Ctrl-C stops everything.
""", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        time.sleep(0.5)
    stack.stop()
    STATE_FILE.unlink(missing_ok=True)
    print("stopped", flush=True)


def _as_operator() -> dict[str, Any]:
    """The running local stack's state, with this process's AWS calls made as its operator."""
    if not STATE_FILE.exists():
        sys.exit("the local stack is not running: start it with `make run`")
    state: dict[str, Any] = json.loads(STATE_FILE.read_text(encoding="utf-8"))
    os.environ.update({"AWS_ENDPOINT_URL": state["aws_endpoint_url"], "AWS_DEFAULT_REGION": state["region"],
                       "AWS_ACCESS_KEY_ID": state["operator_key"][0],
                       "AWS_SECRET_ACCESS_KEY": state["operator_key"][1]})
    return state


def pre_approve_cli() -> None:
    """The pre-approval batch against the running local stack, as its operator (what `make pre-approve` does)."""
    state = _as_operator()
    from local.journey import run_pre_approval

    started = time.monotonic()
    batch = run_pre_approval(state["pre_approval_state_machine_arn"])
    print(f"pre-approval: {batch['offered']} of {batch['customers']} customers offered a line "
          f"(¥{batch['limit_fen'] / 100:,.2f} in all), {time.monotonic() - started:.1f} s")


def sweep_cli(day: str) -> None:
    """The daily sweep of every line on its state machine against the running local stack, as its operator
    (what `make sweep [DAY=YYYY-MM-DD]` does; today's business date when no day is given). A day may be swept
    again (each run has a name of its own); the figures the console's dashboard shows are that day's."""
    from datetime import UTC, date, datetime

    from chalicelib.domain.business_date import business_date

    try:
        day = (date.fromisoformat(day) if day else business_date(datetime.now(UTC))).isoformat()
    except ValueError:
        sys.exit(f"DAY must be a date as YYYY-MM-DD, not {day!r}")
    state = _as_operator()
    os.environ["SWEEP_STATE_MACHINE_ARN"] = state["sweep_state_machine_arn"]
    from local.journey import run_sweep

    started = time.monotonic()
    shards = run_sweep(day, timeout=600)["result"]["shards"]
    totals = {k: sum(int(s.get(k, 0)) for s in shards) for k in ("lines", "loans", "collected", "signals",
                                                                   "reclassified")}
    print(f"sweep of {day}: {len(shards)} shards, {totals['lines']} lines, {totals['loans']} loans classified; "
          f"{totals['collected']} instalments collected, {totals['signals']} signals, {totals['reclassified']} "
          f"reclassified; {time.monotonic() - started:.1f} s")


def token_cli(username: str) -> None:
    if not STATE_FILE.exists():
        sys.exit("the local stack is not running: start it with `make run`")
    state = json.loads(STATE_FILE.read_text(encoding="utf-8"))
    known = [u["username"] for u in state["demo_users"]]
    if username not in known:
        sys.exit(f"unknown demo user {username!r}; one of: {', '.join(known)}")
    print(issue_token(state["aws_endpoint_url"], state["region"], state["user_pool_id"], state["app_client_id"],
                      username, operator_key=state["operator_key"]))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "run":
        run()
    elif command == "pre-approve":
        pre_approve_cli()
    elif command == "sweep":
        sweep_cli(sys.argv[2] if len(sys.argv) > 2 else "")
    elif command == "token":
        token_cli(sys.argv[2] if len(sys.argv) > 2 else "alice")
    else:
        sys.exit(__doc__)
