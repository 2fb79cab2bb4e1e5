"""Creates the resources of infra/resources.json on moto, so that the local stack and the tests run on exactly
the definitions that deploy to AWS: the same table keys and indexes, bucket settings, queues, user pool, groups,
secret and state machines (with their DefinitionSubstitutions resolved to the local Lambda functions).

It understands the intrinsic functions the template uses (Ref, Fn::GetAtt, Fn::Sub) and the resource types it
declares; a resource type it does not know makes it fail loudly, so the template cannot drift from what local
runs. Resources that have no local meaning (API Gateway responses, log groups, Chalice's own role) are listed in
SKIPPED with the reason."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "resources.json"
ACCOUNT_ID = "123456789012"  # moto's default account

SKIPPED = {
    "AWS::ApiGateway::GatewayResponse": "API Gateway is chalice local here; local/chalice_shim.py mirrors the 401",
    "AWS::Logs::LogGroup": "moto keeps no workflow logs",
    "AWS::S3::BucketPolicy": "TLS-only: the local stack speaks plain HTTP to moto on 127.0.0.1 (a test reads the rule)",
    "AWS::ApiGateway::UsagePlan": "API Gateway is chalice local here: no stage to throttle",
    "AWS::ApiGateway::Account": "API Gateway is chalice local here: no access logs to deliver",
}
CHALICE_OWNED = {"RestAPI"}  # defined by `chalice package`; the merge template only refers to them


@dataclass
class LocalStack:
    """What was created: physical ids and attributes by logical id, plus the environment the functions get."""

    region: str
    stack_name: str
    refs: dict[str, str] = field(default_factory=dict)
    attrs: dict[tuple[str, str], str] = field(default_factory=dict)
    function_env: dict[str, str] = field(default_factory=dict)

    # ---- intrinsic functions ---------------------------------------------------------------------------
    def pseudo(self, name: str) -> str:
        return {"AWS::StackName": self.stack_name, "AWS::Region": self.region, "AWS::AccountId": ACCOUNT_ID,
                "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}[name]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                name = value["Ref"]
                return self.pseudo(name) if name.startswith("AWS::") else self.refs[name]
            if set(value) == {"Fn::GetAtt"}:
                logical, attribute = value["Fn::GetAtt"]
                return self.attrs[(logical, attribute)]
            if set(value) == {"Fn::Sub"}:
                return self._sub(value["Fn::Sub"])
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _sub(self, spec: Any) -> str:
        text, variables = (spec, {}) if isinstance(spec, str) else (spec[0], spec[1])

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(self.resolve(variables[name]))
            if name.startswith("AWS::"):
                return self.pseudo(name)
            if "." in name:
                logical, attribute = name.split(".", 1)
                return self.attrs[(logical, attribute)]
            return self.refs[name]

        return re.sub(r"\$\{([^}!]+)\}", one, text)


def load_template() -> dict[str, Any]:
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))


def function_logical_id(chalice_name: str) -> str:
    """How `chalice package` names a function's CloudFormation resource (chalice.utils.to_cfn_resource_name)."""
    from chalice.utils import to_cfn_resource_name

    return to_cfn_resource_name(chalice_name)


def function_role_logical_id(chalice_name: str) -> str:
    """The role `chalice package` creates for a function: <Function>Role (the API's is ApiHandlerRole)."""
    return "ApiHandlerRole" if chalice_name == "api_handler" else function_logical_id(chalice_name) + "Role"


def create_stack(session: Any, stack: LocalStack, functions: dict[str, str], identities: list[str]) -> LocalStack:
    """functions: chalice function name -> local Lambda function name (already registered in-process);
    identities: every chalice function that runs code, the API handler and the authorizer included."""
    template = load_template()
    resources = template["Resources"]
    for name, parameter in template.get("Parameters", {}).items():  # a deploy's parameters, at their defaults
        stack.refs.setdefault(name, parameter["Default"])
    client = session.client
    iam = client("iam")
    lam = client("lambda")

    # Every function gets the role `chalice package` gives it on AWS (<Function>Role), with the policies the template
    # attaches to that role; Lambda functions come first: the state machines' substitutions point at them.
    for chalice_name in identities:
        role = function_role_logical_id(chalice_name)
        created = iam.create_role(RoleName=f"{stack.stack_name}-{role}", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]
        stack.refs[role] = created["RoleName"]
        stack.attrs[(role, "Arn")] = created["Arn"]
        # the API handler and the authorizer are no Lambda functions here (chalice local runs them): their names
        stack.refs.setdefault("APIHandler" if chalice_name == "api_handler" else function_logical_id(chalice_name),
                              f"{stack.stack_name}-{chalice_name}")
    for chalice_name, local_name in functions.items():
        arn = lam.create_function(FunctionName=local_name, Runtime="python3.12",
                                  Role=stack.attrs[(function_role_logical_id(chalice_name), "Arn")],
                                  Handler=f"app.{chalice_name}", Code={"ZipFile": _empty_zip()},
                                  Timeout=60)["FunctionArn"]
        logical = function_logical_id(chalice_name)
        stack.refs[logical] = local_name
        stack.attrs[(logical, "Arn")] = arn

    for logical, resource in _ordered(resources):
        kind = resource.get("Type")
        if logical in CHALICE_OWNED or kind is None:
            continue
        creator = _CREATORS.get(kind)
        if creator is None:
            if kind in SKIPPED:
                continue
            raise NotImplementedError(f"local stack cannot create {kind} ({logical}); teach local/cfn.py")
        creator(client, stack, logical, resource.get("Properties", {}))

    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    stack.function_env = {k: str(stack.resolve(v)) for k, v in variables.items()}
    return stack


# Creation order by type: what is referenced comes first.
_ORDER = ["AWS::KMS::Key", "AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "AWS::DynamoDB::Table",
          "AWS::S3::Bucket", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
          "AWS::Cognito::UserPoolGroup", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup", "AWS::IAM::Role",
          "AWS::Serverless::StateMachine", "AWS::ApiGateway::GatewayResponse", "AWS::IAM::ManagedPolicy",
          "AWS::SNS::Topic", "AWS::CloudWatch::Alarm"]


def _ordered(resources: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    def rank(item: tuple[str, dict[str, Any]]) -> tuple[int, str]:
        kind = item[1].get("Type", "")
        position = _ORDER.index(kind) if kind in _ORDER else len(_ORDER)
        # dead-letter queues before the queues that point at them
        return position, "0" if "DeadLetter" in item[0] else item[0]

    return sorted(resources.items(), key=rank)


def _empty_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "code runs in-process: see local/lambda_runtime.py")
    return buffer.getvalue()


# ---- one creator per resource type ---------------------------------------------------------------------
def _kms_key(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    spec = {k: props[k] for k in ("KeySpec", "KeyUsage") if k in props}  # the contract seal is RSA SIGN_VERIFY
    key = client("kms").create_key(Description=props.get("Description", logical), **spec)["KeyMetadata"]
    stack.refs[logical] = key["KeyId"]
    stack.attrs[(logical, "Arn")] = key["Arn"]


def _sqs_queue(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    sqs = client("sqs")
    attributes = {}
    if "VisibilityTimeout" in props:
        attributes["VisibilityTimeout"] = str(props["VisibilityTimeout"])
    if "MessageRetentionPeriod" in props:
        attributes["MessageRetentionPeriod"] = str(props["MessageRetentionPeriod"])
    if "RedrivePolicy" in props:
        attributes["RedrivePolicy"] = json.dumps(stack.resolve(props["RedrivePolicy"]))
    url = sqs.create_queue(QueueName=stack.resolve(props["QueueName"]), Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    stack.refs[logical] = url
    stack.attrs[(logical, "Arn")] = arn
    stack.attrs[(logical, "QueueName")] = stack.resolve(props["QueueName"])


def _sqs_queue_policy(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    for url in stack.resolve(props["Queues"]):
        client("sqs").set_queue_attributes(QueueUrl=url, Attributes={
            "Policy": json.dumps(stack.resolve(props["PolicyDocument"]))})


def _dynamodb_table(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    ddb = client("dynamodb")
    name = stack.resolve(props["TableName"])
    ddb.create_table(TableName=name, BillingMode=props["BillingMode"],
                     AttributeDefinitions=props["AttributeDefinitions"], KeySchema=props["KeySchema"],
                     GlobalSecondaryIndexes=props.get("GlobalSecondaryIndexes", []),
                     SSESpecification={"Enabled": True, "SSEType": "KMS",
                                       "KMSMasterKeyId": stack.resolve(props["SSESpecification"]["KMSMasterKeyId"])},
                     DeletionProtectionEnabled=props.get("DeletionProtectionEnabled", False))
    if props.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
        ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    stack.refs[logical] = name
    stack.attrs[(logical, "Arn")] = ddb.describe_table(TableName=name)["Table"]["TableArn"]


def _s3_bucket(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    s3 = client("s3")
    name = stack.resolve(props["BucketName"])
    kwargs: dict[str, Any] = {"Bucket": name}
    if stack.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": stack.region}
    if props.get("ObjectLockEnabled"):
        kwargs["ObjectLockEnabledForBucket"] = True
    s3.create_bucket(**kwargs)
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
    if "BucketEncryption" in props:
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": r["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
                "KMSMasterKeyID": stack.resolve(r["ServerSideEncryptionByDefault"]["KMSMasterKeyID"])},
             "BucketKeyEnabled": r.get("BucketKeyEnabled", False)}
            for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]})
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    if "ObjectLockConfiguration" in props:
        s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=props["ObjectLockConfiguration"])
    if "LifecycleConfiguration" in props:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [
            {"ID": r["Id"], "Status": r["Status"], "Filter": {"Prefix": r.get("Prefix", "")},
             "Expiration": {"Days": r["ExpirationInDays"]},
             "NoncurrentVersionExpiration": r["NoncurrentVersionExpiration"]}
            for r in props["LifecycleConfiguration"]["Rules"]]})
    if "NotificationConfiguration" in props:
        queues = props["NotificationConfiguration"].get("QueueConfigurations", [])
        s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": stack.resolve(q["Queue"]), "Events": [q["Event"]],
             "Filter": {"Key": {"FilterRules": q["Filter"]["S3Key"]["Rules"]}}} for q in queues]})
    stack.refs[logical] = name
    stack.attrs[(logical, "Arn")] = f"arn:aws:s3:::{name}"


def _user_pool(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    pool = client("cognito-idp").create_user_pool(
        PoolName=stack.resolve(props["UserPoolName"]), Policies=props["Policies"],
        AdminCreateUserConfig=props["AdminCreateUserConfig"], MfaConfiguration=props["MfaConfiguration"])["UserPool"]
    stack.refs[logical] = pool["Id"]
    stack.attrs[(logical, "Arn")] = pool["Arn"]


def _user_pool_client(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    units = props.get("TokenValidityUnits", {})
    app_client = client("cognito-idp").create_user_pool_client(
        UserPoolId=stack.resolve(props["UserPoolId"]), ClientName=props["ClientName"],
        GenerateSecret=props["GenerateSecret"], ExplicitAuthFlows=props["ExplicitAuthFlows"],
        AccessTokenValidity=int(stack.resolve(props["AccessTokenValidity"])),
        IdTokenValidity=int(stack.resolve(props["IdTokenValidity"])),
        RefreshTokenValidity=props["RefreshTokenValidity"],
        TokenValidityUnits={"AccessToken": units["AccessToken"], "IdToken": units["IdToken"],
                            "RefreshToken": units["RefreshToken"]})["UserPoolClient"]
    stack.refs[logical] = app_client["ClientId"]


def _user_pool_group(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    client("cognito-idp").create_group(UserPoolId=stack.resolve(props["UserPoolId"]), GroupName=props["GroupName"],
                                       Description=props.get("Description", ""))
    stack.refs[logical] = props["GroupName"]


def _secret(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    import secrets

    length = props["GenerateSecretString"]["PasswordLength"]
    arn = client("secretsmanager").create_secret(Name=f"{stack.stack_name}-{logical}",
                                                 SecretString=secrets.token_urlsafe(length)[:length])["ARN"]
    stack.refs[logical] = arn


def _iam_role(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    name = f"{stack.stack_name}-{logical}"
    role = client("iam").create_role(RoleName=name,
                                     AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"]))["Role"]
    for policy in props.get("Policies", []):
        client("iam").put_role_policy(RoleName=name, PolicyName=policy["PolicyName"],
                                      PolicyDocument=json.dumps(stack.resolve(policy["PolicyDocument"])))
    stack.refs[logical] = name
    stack.attrs[(logical, "Arn")] = role["Arn"]


def _managed_policy(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    iam = client("iam")
    arn = iam.create_policy(PolicyName=f"{stack.stack_name}-{logical}",
                            PolicyDocument=json.dumps(stack.resolve(props["PolicyDocument"])))["Policy"]["Arn"]
    for role in stack.resolve(props.get("Roles", [])):
        iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    stack.refs[logical] = arn


def _sns_topic(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    arn = client("sns").create_topic(Name=stack.resolve(props["TopicName"]))["TopicArn"]
    stack.refs[logical] = arn
    stack.attrs[(logical, "TopicName")] = stack.resolve(props["TopicName"])


def _alarm(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    """The alarms exist locally too (moto keeps them; nothing fires them), so the template's references are checked."""
    client("cloudwatch").put_metric_alarm(
        AlarmName=f"{stack.stack_name}-{logical}", AlarmDescription=props["AlarmDescription"],
        Namespace=props["Namespace"], MetricName=props["MetricName"], Statistic=props["Statistic"],
        Dimensions=[{"Name": x["Name"], "Value": str(stack.resolve(x["Value"]))} for x in props["Dimensions"]],
        Period=props["Period"], EvaluationPeriods=props["EvaluationPeriods"], Threshold=float(props["Threshold"]),
        ComparisonOperator=props["ComparisonOperator"], TreatMissingData=props["TreatMissingData"],
        AlarmActions=stack.resolve(props["AlarmActions"]), OKActions=stack.resolve(props["OKActions"]))
    stack.refs[logical] = f"{stack.stack_name}-{logical}"


def _state_machine(client: Any, stack: LocalStack, logical: str, props: dict[str, Any]) -> None:
    definition = (ROOT / props["DefinitionUri"]).read_text(encoding="utf-8")
    for placeholder, value in props.get("DefinitionSubstitutions", {}).items():
        definition = definition.replace("${" + placeholder + "}", str(stack.resolve(value)))
    leftover = re.findall(r"\$\{[^}]+\}", definition)
    if leftover:
        raise ValueError(f"{logical}: unresolved placeholders {sorted(set(leftover))}")
    arn = client("stepfunctions").create_state_machine(
        name=stack.resolve(props["Name"]), definition=definition, roleArn=stack.resolve(props["Role"]),
    )["stateMachineArn"]
    stack.refs[logical] = arn
    stack.attrs[(logical, "Arn")] = arn


_CREATORS = {
    "AWS::KMS::Key": _kms_key,
    "AWS::SQS::Queue": _sqs_queue,
    "AWS::SQS::QueuePolicy": _sqs_queue_policy,
    "AWS::DynamoDB::Table": _dynamodb_table,
    "AWS::S3::Bucket": _s3_bucket,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::IAM::Role": _iam_role,
    "AWS::IAM::ManagedPolicy": _managed_policy,
    "AWS::SNS::Topic": _sns_topic,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::Serverless::StateMachine": _state_machine,
}


def wire_event_sources(session: Any, chalice_app: Any, stack: LocalStack, functions: dict[str, str]) -> None:
    """The Chalice app's SQS event sources, as `chalice package` would wire them."""
    sqs = session.client("sqs")
    lam = session.client("lambda")
    for source in chalice_app.event_sources:
        if not hasattr(source, "queue"):
            continue  # schedules: moto fires none; the local stage runs them through /v1/dev/auto-debit
        queue = source.queue
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=functions[source.name],
                                        BatchSize=source.batch_size, Enabled=True,
                                        FunctionResponseTypes=response_types(source.name))


def response_types(chalice_name: str) -> list[str]:
    """The mapping's FunctionResponseTypes as the deploy template sets them (ReportBatchItemFailures: a handler
    names the messages that failed, and only those are delivered again)."""
    logical = function_logical_id(chalice_name)
    events = load_template()["Resources"].get(logical, {}).get("Properties", {}).get("Events", {})
    source = events.get(f"{logical}SqsEventSource", {}).get("Properties", {})
    return list(source.get("FunctionResponseTypes", []))
