"""A Lambda Runtime API, as the Lambda service offers it to a container image, for running an image function on
the local stack (and in its test) exactly as Lambda would run it.

The protocol (AWS Lambda Developer Guide, "Runtime API"): the runtime inside the container long-polls
``GET /2018-06-01/runtime/invocation/next`` and gets one event with the headers ``Lambda-Runtime-Aws-Request-Id``,
``Lambda-Runtime-Deadline-Ms``, ``Lambda-Runtime-Invoked-Function-Arn`` and ``Lambda-Runtime-Trace-Id``; it answers
``POST /2018-06-01/runtime/invocation/{id}/response`` or ``.../{id}/error``, or ``POST /runtime/init/error`` if
it cannot start. ``ImageFunction`` starts the image with ``docker run`` (host network, the function's
environment and its role's credentials) against such an API and hands it events one at a time.
DEV ONLY: imported by local/stack.py and the tests, never by chalicelib or app.py."""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"
_log = logging.getLogger("local.runtime_api")


@dataclass
class Invocation:
    request_id: str
    event: Any
    deadline_ms: int
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: dict[str, Any] | None = None


class RuntimeApi:
    """The HTTP side: a queue of invocations the runtime takes one by one, and their answers."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn
        self._pending: queue.Queue[Invocation] = queue.Queue()
        self._open: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.answered: list[Invocation] = []  # in the order the runtime answered them
        self.ready = threading.Event()  # the runtime asked for its first event: its init is done
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path != f"{PREFIX}/invocation/next":
                    return self._reply(404, {"errorType": "NotFound"})
                api.ready.set()
                invocation = api._pending.get()  # long poll, as Lambda's does
                api._open[invocation.request_id] = invocation
                body = json.dumps(invocation.event).encode()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", invocation.request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(invocation.deadline_ms))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn", api.function_arn)
                self.send_header("Lambda-Runtime-Trace-Id", f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}")
                # Lambda always sends it; awslambdaric 4.2 crashes (SIGSEGV) reading an event without it
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"null")
                if self.path == f"{PREFIX}/init/error":
                    api.init_error = payload
                    return self._reply(202, {"status": "OK"})
                parts = self.path[len(PREFIX):].strip("/").split("/")  # invocation/{id}/response|error
                if len(parts) != 3 or parts[0] != "invocation" or parts[1] not in api._open:
                    return self._reply(400, {"errorType": "InvalidRequestID"})
                invocation = api._open.pop(parts[1])
                if parts[2] == "response":
                    invocation.result = payload
                elif parts[2] == "error":
                    invocation.error = payload if isinstance(payload, dict) else {"errorMessage": str(payload)}
                else:
                    return self._reply(404, {"errorType": "NotFound"})
                api.answered.append(invocation)
                invocation.done.set()
                self._reply(202, {"status": "OK"})

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="runtime-api").start()

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def invoke(self, event: Any, timeout_seconds: int) -> Invocation:
        invocation = Invocation(str(uuid.uuid4()), event, int((time.time() + timeout_seconds) * 1000))
        self._pending.put(invocation)
        if not invocation.done.wait(timeout_seconds):
            invocation.error = {"errorType": "Sandbox.Timedout",
                                "errorMessage": f"no answer within {timeout_seconds} s"}
        return invocation

    def close(self) -> None:
        self._server.shutdown()


class ImageFunction:
    """One container of an image function, started on first use, invoked through the Runtime API."""

    def __init__(self, image: str, function_name: str, environment: dict[str, str], timeout_seconds: int) -> None:
        self.image, self.function_name = image, function_name
        self.environment, self.timeout_seconds = environment, timeout_seconds
        self.api = RuntimeApi(f"arn:aws:lambda:local:000000000000:function:{function_name}")
        self._container: str | None = None
        self._lock = threading.Lock()

    def __call__(self, event: Any, context: Any = None) -> Any:
        with self._lock:  # one invocation at a time per container, as Lambda gives one event per environment
            self._start()
            invocation = self.api.invoke(event, self.timeout_seconds)
        if invocation.error is not None:
            raise ImageFunctionError(invocation.error)
        return invocation.result

    def start(self, wait_seconds: int = 180) -> None:
        """Starts the container and waits for its init (imports, OCR models) to finish, as Lambda's INIT phase
        does before the first event; a runtime that reports an init error fails here."""
        with self._lock:
            self._start()
        deadline = time.time() + wait_seconds
        while not self.api.ready.wait(0.5):
            if self.api.init_error is not None or time.time() > deadline:
                raise ImageFunctionError(self.api.init_error or {"errorType": "Sandbox.Timedout",
                                                                 "errorMessage": "the runtime did not start"})

    def _start(self) -> None:
        if self._container is not None:
            return
        env = {**self.environment, "AWS_LAMBDA_RUNTIME_API": self.api.address,
               "AWS_LAMBDA_FUNCTION_NAME": self.function_name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "2048",
               "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST"}
        args = ["docker", "run", "-d", "--network", "host", "--name", f"{self.function_name}-{uuid.uuid4().hex[:6]}"]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        self._container = subprocess.run([*args, self.image], check=True, capture_output=True,
                                         text=True).stdout.strip()
        _log.info("image function %s started in container %s", self.function_name, self._container[:12])

    def logs(self) -> str:
        if self._container is None:
            return ""
        done = subprocess.run(["docker", "logs", self._container], capture_output=True, text=True)
        return done.stdout + done.stderr

    def stop(self) -> None:
        if self._container is not None:
            subprocess.run(["docker", "rm", "-f", self._container], capture_output=True)  # stopped or exited
            self._container = None
        self.api.close()


class ImageFunctionError(Exception):
    """The function's error as the Runtime API received it (errorType, errorMessage): what Lambda reports."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('errorType', 'Error')}: {error.get('errorMessage', '')}")
        self.error = error
