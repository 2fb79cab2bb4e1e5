"""The published contract (OpenAPI), the stage-specific surface, and the weight of the API function."""

import json
import os
import subprocess
import sys
from pathlib import Path

from openapi_spec_validator import validate

import app
from chalicelib import bootstrap
from chalicelib.api.meta import OPENAPI_FILE, openapi_json
from chalicelib.api.spec import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]


def _prod_app_routes() -> set[str]:
    code = "import json, app; print(json.dumps(sorted(app.app.routes)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "STAGE": "prod"},
                         capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_committed_openapi_document_is_current_and_valid() -> None:
    committed = OPENAPI_FILE.read_text(encoding="utf-8")
    generated = openapi_json(app.app)  # same as `make openapi` (the dev routes are left out of the contract)
    assert committed == generated, "run `make openapi` and commit chalicelib/api/openapi.json"
    validate(json.loads(committed))


def test_every_route_is_documented_with_its_models() -> None:
    documented = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))["paths"]
    from chalicelib.api.spec import is_static

    for path, methods in app.app.routes.items():
        if is_static(path):
            continue  # the console's files (tests/api/test_console_files.py)
        for method, entry in methods.items():
            assert entry.view_function.__name__ in OPERATIONS, f"{method} {path} has no @operation"
            if not path.startswith("/v1/dev/"):  # local-stage routes are not part of the published contract
                assert method.lower() in documented[path], f"{method} {path} missing from openapi.json"


def test_the_dev_outbox_does_not_exist_outside_the_local_stage(api, tokens, live) -> None:  # type: ignore[no-untyped-def]
    assert not [r for r in _prod_app_routes() if r.startswith("/v1/dev/")]
    assert "/v1/admin/reviews" in _prod_app_routes()
    # and even if it were routed, the handler refuses on any other stage
    bootstrap.override(settings=bootstrap.deps().settings.model_copy(update={"stage": "prod"}))
    status, payload = api.send("GET", "/v1/dev/outbox", tokens["alice"])
    assert status == 404 and payload["error"]["code"] == "NOT_FOUND"


def test_the_api_function_imports_no_aws_sdk_and_no_data_science_stack() -> None:
    code = ("import sys, app; heavy = [m for m in ('boto3', 'numpy', 'scipy', 'sklearn', 'pandas', 'pyhanko', "
            "'moto', 'aws_xray_sdk', 'reportlab', 'PIL', 'cv2', 'onnxruntime', 'rapidocr_onnxruntime', "
            "'chalicelib.scoring.model', 'chalicelib.services.origination.credit') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "STAGE": "prod"},
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
