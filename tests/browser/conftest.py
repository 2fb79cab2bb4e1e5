"""The console in a real browser: Debian's chromium driven by Playwright (its own browser download is not used),
against the API served as `make run` serves it (chalice local on a port of its own) on the tests' local stack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")  # closed after each module: Playwright's event loop would break asyncio.run later
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: `make` installs it (system-packages.txt)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Console:
    """One officer's browser tab on the console, recording every JavaScript error."""

    def __init__(self, browser: Any, api_url: str, width: int = 1280, height: int = 800) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.url = f"{api_url}/console/"

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(self.url)
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("#sign-in button[type=submit]")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def console(browser: Any, api_url: str, live: Any) -> Iterator[Any]:
    opened: list[Console] = []

    def open_tab(**kwargs: Any) -> Console:
        tab = Console(browser, api_url, **kwargs)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


class Phone:
    """A customer's phone on the H5 client: 390×844, touch, zh-CN, Beijing time; every JavaScript error recorded."""

    def __init__(self, browser: Any, api_url: str) -> None:
        self.context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                           is_mobile=True, has_touch=True, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.url = f"{api_url}/app/"

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(self.url + "index.html#/login")
        self.page.fill("#sign-in input[name=username]", username)
        self.page.fill("#sign-in input[name=password]", password)
        self.page.tap("#sign-in button[type=submit]")
        self.page.locator("#sign-out").wait_for()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser: Any, api_url: str, live: Any) -> Iterator[Any]:
    opened: list[Phone] = []

    def open_phone() -> Phone:
        tab = Phone(browser, api_url)
        opened.append(tab)
        return tab

    yield open_phone
    for tab in opened:
        tab.close()


class Settled:
    """Waits until a page's calls are answered and drawn: a hash change (a new view of one-page screens) is no
    load event Playwright could wait for."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.in_flight: set[int] = set()
        page.on("request", lambda r: self.in_flight.add(id(r)))
        page.on("requestfinished", lambda r: self.in_flight.discard(id(r)))
        page.on("requestfailed", lambda r: self.in_flight.discard(id(r)))

    def visit(self, where: str) -> str:
        """Opens ``where`` (a hash of the page) and returns the text it shows once settled."""
        self.page.evaluate("(where) => { location.hash = where; }", where)
        self.page.wait_for_timeout(100)
        for _ in range(100):
            if not self.in_flight:
                break
            self.page.wait_for_timeout(100)
        self.page.wait_for_timeout(200)
        return str(self.page.inner_text("body"))
