"""Answers Rekognition calls of the local stack from saved responses (local/rekognition/*.json), chosen per
scenario, validated against the service model on every answer. DEV ONLY: installed by local/stack.py through
bootstrap's client hook; production code never sees it.

The selfie carries its scenario in a PNG text chunk (`lending-face-scenario`); liveness takes the scenario set by
LOCAL_LIVENESS_SCENARIO or by a test: `pass`, `fail`, or `pass_mismatch` / `pass_borderline` (a live person
passes, but the reference frame of that live face is someone else's / a borderline match). The liveness answer
carries a reference image (a fixture selfie with the matching marker), and CompareFaces answers by the worse of
its two images' markers, so the live face, the card and the uploaded selfie are compared as on AWS."""

from __future__ import annotations

import io
import json
import os
import uuid
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.validate import ParamValidator

from local import moto_iam

HERE = Path(__file__).parent / "rekognition"
FACE_SCENARIOS = ("match", "borderline", "mismatch", "no_face", "two_faces", "sunglasses")
LIVENESS_SCENARIOS = ("pass", "fail", "pass_mismatch", "pass_borderline")
_liveness = {"scenario": os.environ.get("LOCAL_LIVENESS_SCENARIO", "pass")}
_IDCARDS = Path(__file__).parent.parent / "tests" / "fixtures" / "idcards"
_REFERENCE = {"pass": "selfie.png", "fail": "selfie.png", "pass_mismatch": "selfie_mismatch.png",
              "pass_borderline": "selfie_borderline.png"}
_SEVERITY = {"match": 0, "borderline": 1, "mismatch": 2}


def set_liveness(scenario: str) -> None:
    if scenario not in LIVENESS_SCENARIOS:
        raise ValueError(scenario)
    _liveness["scenario"] = scenario


def saved(name: str) -> dict[str, Any]:
    return dict(json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")))


def scenario_of(image: bytes) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(image)) as picture:
            value = picture.info.get("lending-face-scenario", "match")
    except Exception:
        return "match"
    return str(value) if value in FACE_SCENARIOS else "match"


def answer(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    if operation == "DetectFaces":
        scenario = scenario_of(params["Image"]["Bytes"])
        name = {"no_face": "detect_faces_no_face", "two_faces": "detect_faces_two_faces",
                "sunglasses": "detect_faces_sunglasses"}.get(scenario, "detect_faces_one_face")
        return saved(name)
    if operation == "CompareFaces":
        scenario = max((scenario_of(params[side]["Bytes"]) for side in ("SourceImage", "TargetImage")),
                       key=lambda s: _SEVERITY.get(s, 0))
        return saved({"mismatch": "compare_faces_mismatch", "borderline": "compare_faces_borderline"}.get(
            scenario, "compare_faces_match"))
    if operation == "CreateFaceLivenessSession":
        return {"SessionId": str(uuid.uuid4())}
    if operation == "GetFaceLivenessSessionResults":
        scenario = _liveness["scenario"]
        outcome = saved("liveness_fail" if scenario == "fail" else "liveness_pass")
        reference = (_IDCARDS / _REFERENCE[scenario]).read_bytes()
        return {**outcome, "SessionId": params["SessionId"],
                "ReferenceImage": {"Bytes": reference, "BoundingBox": {"Width": 0.5, "Height": 0.6, "Left": 0.25,
                                                                        "Top": 0.2}}}
    raise NotImplementedError(f"no local answer for Rekognition {operation}")


def _before_call(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
    moto_iam.require(f"rekognition:{model.name}")  # the saved answer is given only to a role that may ask
    body = params.get("body", params)
    if isinstance(body, bytes | str):
        body = json.loads(body)
    parsed = answer(model.name, _decode_images(body))
    report = ParamValidator().validate(parsed, model.output_shape)
    if report.has_errors():
        raise AssertionError(f"saved {model.name} answer does not fit the service model: {report.generate_report()}")
    parsed["ResponseMetadata"] = {"HTTPStatusCode": 200, "RequestId": str(uuid.uuid4())}
    return AWSResponse("http://local-rekognition", 200, {}, None), parsed


def _decode_images(body: dict[str, Any]) -> dict[str, Any]:
    import base64

    out = dict(body)
    for key in ("Image", "SourceImage", "TargetImage"):
        if key in out and isinstance(out[key].get("Bytes"), str):
            out[key] = {"Bytes": base64.b64decode(out[key]["Bytes"])}
    return out


def install_on(client: Any) -> None:
    if client.meta.service_model.service_name == "rekognition":
        client.meta.events.register("before-call.rekognition.*", _before_call)


class RekognitionEndpoint:
    """The same saved answers over HTTP, for a function that runs in its container image (it cannot take the
    in-process client hook): the container's `AWS_ENDPOINT_URL_REKOGNITION` points here. Each request's signer
    (by its access key) must hold the permission, as with the hook."""

    def __init__(self) -> None:
        import base64
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                operation = self.headers.get("X-Amz-Target", "").split(".")[-1]
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not moto_iam.signer_may(self.headers.get("Authorization", ""),
                                           self.headers.get("X-Amz-Security-Token"), f"rekognition:{operation}"):
                    return self._reply(400, {"__type": "AccessDeniedException",
                                             "Message": f"not authorized to perform: rekognition:{operation}"})
                try:
                    answer = answer_for(operation, _decode_images(body))
                except NotImplementedError as err:
                    return self._reply(400, {"__type": "InvalidParameterException", "Message": str(err)})
                self._reply(200, answer)

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                def encode(value: Any) -> Any:
                    if isinstance(value, bytes):
                        return base64.b64encode(value).decode()
                    if isinstance(value, dict):
                        return {k: encode(v) for k, v in value.items()}
                    if isinstance(value, list):
                        return [encode(v) for v in value]
                    return value

                data = json.dumps(encode(payload)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="rekognition-local").start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()


def answer_for(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    return answer(operation, params)
