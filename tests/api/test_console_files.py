"""The console's files as the API serves them: only files of the console folder, with their type and the strict
security headers; officers' sign-in refuses customers and wrong passwords in the API's error format."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from local.stack import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def get(api: Any, path: str) -> Any:
    return api._client.http.request("GET", path, headers={})


@pytest.mark.parametrize("path, kind", [("/console/index.html", "text/html"), ("/console/app.js", "text/javascript"),
                                        ("/console/kit.js", "text/javascript"),
                                        ("/console/workout.js", "text/javascript"),
                                        ("/console/drawdowns.js", "text/javascript"),
                                        ("/console/style.css", "text/css"),
                                        ("/console/vendor/echarts.min.js", "text/javascript")])
def test_console_files_are_served_with_their_type_and_a_strict_policy(api: Any, path: str, kind: str) -> None:
    response = get(api, path)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(kind)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/console/..", "/console/vendor/..", "/console/README.md", "/console/missing.js",
                                  "/console/vendor/echarts-LICENSE"])
def test_nothing_outside_the_console_files_is_served(api: Any, path: str) -> None:
    assert get(api, path).status_code == 404


def test_the_screens_share_one_api_client_served_to_both(api: Any) -> None:
    """One file builds elements and calls the API for both screens (each had its own copy); it is served like
    their files, and neither page defines its own again."""
    response = get(api, "/shared/web.js")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/javascript")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert get(api, "/shared/../console/app.js").status_code == 404
    for page in ("console", "h5"):
        source = (ROOT / "chalicelib" / "web" / page / "app.js").read_text("utf-8")
        assert 'from "/shared/web.js"' in source
        assert "function h(" not in source and "fetch(path" not in source and "class ApiError" not in source


def test_every_file_a_screen_serves_is_in_the_deployment_package() -> None:
    """chalice packages app.py, chalicelib/ and vendor/ only: the screens' folders live inside chalicelib, or the
    deployed API would answer 404 for the console and the app (they had lived at the repository's root)."""
    from chalicelib.api import console, mobile

    package = ROOT / "chalicelib"
    for folder in (console.ROOT, console.WEB / "shared", mobile.ROOT):
        assert package in folder.parents
        assert any((folder / name).is_file() for name in ("index.html", "web.js"))


def test_the_vendored_chart_library_is_the_published_one() -> None:
    data = (ROOT / "chalicelib" / "web" / "console" / "vendor" / "echarts.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"


def test_sign_in_gives_officers_a_token_and_refuses_customers(api: Any) -> None:
    status, session = api.send("POST", "/v1/console/session", None, {"username": "olivia", "password": DEMO_PASSWORD})
    assert status == 200 and session["officer"] == "olivia" and session["expires_in"] > 0
    assert api.send("GET", "/v1/admin/reviews", session["access_token"])[0] == 200
    status, refused = api.send("POST", "/v1/console/session", None, {"username": "alice", "password": DEMO_PASSWORD})
    assert status == 403 and refused["error"]["code"] == "FORBIDDEN" and "access_token" not in refused
    status, wrong = api.send("POST", "/v1/console/session", None, {"username": "olivia", "password": "nope"})
    assert status == 401 and wrong["error"]["code"] == "SIGN_IN_REFUSED"
    status, _ = api.send("POST", "/v1/console/session", None, {"username": "olivia"})
    assert status == 422
