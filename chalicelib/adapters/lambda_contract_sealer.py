"""The API asks the sealing function to sign a contract: a synchronous Lambda invocation (RequestResponse).

Only the sealing function's role may use the bank's seal key; the API's role may invoke that one function and
nothing else. A domain error raised while signing (the stored contract is not the one reviewed, the CA or TSA is
not connected) comes back as data and is raised again here as the same error, so the customer sees the same
answer as if the API had signed itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..domain import errors
from ..domain.application import Contract, LoanApplication
from ..ports import ContractSealer
from .contract_records import contract_from_dict


class LambdaContractSealer(ContractSealer):
    def __init__(self, lambda_client: Any, function_name: str) -> None:
        self._lambda = lambda_client
        self._function = function_name

    def seal(self, app: LoanApplication, now: datetime) -> Contract:
        answer = self._lambda.invoke(FunctionName=self._function, InvocationType="RequestResponse",
                                     Payload=json.dumps({"application_id": app.application_id,
                                                         "now": now.isoformat()}).encode())
        body = json.loads(answer["Payload"].read() or b"{}")
        if answer.get("FunctionError"):
            raise RuntimeError(f"the sealing function failed: {body.get('errorType', 'unknown error')}")
        if "error" in body:
            raise refused(body["error"])
        return contract_from_dict(body["contract"])


def refused(error: dict[str, Any]) -> errors.LendingError:
    """The domain error the sealing function reported, as its own class (a plain LendingError if unknown)."""
    kind = getattr(errors, str(error.get("type", "")), None)
    cls = kind if isinstance(kind, type) and issubclass(kind, errors.LendingError) else errors.LendingError
    return cls(str(error.get("message", "")), dict(error.get("details") or {}), code=error.get("code"))
