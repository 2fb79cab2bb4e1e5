"""The API as `make run` serves it (chalice local with the project's shim), over real HTTP: what API Gateway's own
answers look like on AWS (the template's gateway responses), and a burst of clients that test their retries."""

from __future__ import annotations

import json
import socket
import threading

import pytest
import requests


@pytest.fixture
def base(api_url: str) -> str:
    return api_url


def test_an_unknown_route_is_a_404_in_the_error_format_and_echoes_nothing(base: str) -> None:
    secret = "Bearer eyJhbGciOiJSUzI1NiJ9.not-a-route-token.sig"
    response = requests.get(f"{base}/v1/no-such-thing", headers={"Authorization": secret}, timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "NOT_FOUND" and error["message_zh"]
    assert "not-a-route-token" not in response.text and "Authorization" not in response.text


def test_a_very_large_header_is_refused_in_the_error_format_not_an_html_page(base: str) -> None:
    response = requests.get(f"{base}/v1/applications", headers={"X-Padding": "a" * 70_000}, timeout=10)
    assert 400 <= response.status_code < 500
    assert response.headers["Content-Type"].startswith("application/json")
    assert "<html" not in response.text.lower()
    assert response.json()["error"]["message_zh"]


def test_a_malformed_request_line_is_answered_in_the_error_format(base: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /v1/applications HTTP/1.1 extra\r\n\r\n")
        raw = b""
        while chunk := connection.recv(65536):
            raw += chunk
    body = raw.decode("utf-8").rpartition("\r\n\r\n")[2]  # http.server answers a broken request line bare
    error = json.loads(body)["error"]
    assert error["code"] == "BAD_REQUEST" and error["message_zh"]


def test_a_burst_of_100_simultaneous_posts_gets_no_reset(base: str) -> None:
    """http.server listens with a backlog of 5: 100 clients at once got 40-56 resets before the shim raised it."""
    clients = 100
    start = threading.Barrier(clients)
    outcomes: list[int | str] = []
    lock = threading.Lock()

    def post() -> None:
        start.wait()
        try:
            status: int | str = requests.post(f"{base}/v1/session", data=b"{}", timeout=60,
                                              headers={"Content-Type": "application/json"}).status_code
        except requests.ConnectionError as err:
            status = type(err).__name__
        with lock:
            outcomes.append(status)

    threads = [threading.Thread(target=post) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcomes if isinstance(o, str)]
    assert not refused, f"{len(refused)} of {clients} connections were reset"
    assert all(isinstance(o, int) and o < 500 for o in outcomes)
