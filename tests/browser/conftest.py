"""A real browser on the real stack: Debian's Chromium driven by Playwright.

The pages come from the session's gunicorn (`web`) and the reports from its Celery
worker (`worker`), both from tests/integration/conftest.py, on the test database.

Two kinds of page:

* `page` enforces the site's Content-Security-Policy, exactly as a visitor's
  browser does, so that a script the policy blocks fails the test that needs it;
* `audit_page` bypasses it, because the axe-core audit is injected as an inline
  script (test code, not the site's), which the policy rightly refuses.

Playwright runs in a thread of its own. Its synchronous API keeps an asyncio loop
marked as running in the thread that started it, and Django then takes that thread
for async code: its per-thread database connections are swapped for others, so
pytest-django's flush-and-restore between tests (serialized_rollback) silently
stops restoring the data migration's rows (the "gc6" call), for every later test
of the process. In its own thread the loop is out of Django's way. Tests use the
Playwright objects as usual; each call is carried out in that thread (`Remote`).
"""

from __future__ import annotations

import functools
import os
import queue
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from tests.stack import ROOT
from tests.tools import require_tool

try:
    from playwright.sync_api import expect as playwright_expect
    from playwright.sync_api import sync_playwright
except ImportError:  # not installed: the `browser` fixture skips (fails in CI)
    playwright_expect = sync_playwright = None

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Playwright waits this long for an element, a navigation or an expectation.
TIMEOUT_MS = 10_000


class PlaywrightThread:
    """One thread that makes every Playwright call, in order."""

    def __init__(self) -> None:
        self._calls: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="playwright", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while (item := self._calls.get()) is not None:
            future, function, args, kwargs = item
            try:
                future.set_result(function(*args, **kwargs))
            except BaseException as error:  # handed to the caller, re-raised there
                future.set_exception(error)

    def call(self, function: Callable, *args, **kwargs) -> Any:
        if threading.current_thread() is self.thread:
            return function(*args, **kwargs)
        future: Future = Future()
        self._calls.put((future, function, args, kwargs))
        return future.result()

    def stop(self) -> None:
        self._calls.put(None)
        self.thread.join(timeout=30)


_runner: PlaywrightThread | None = None


def _is_playwright(value: Any) -> bool:
    return type(value).__module__.startswith("playwright.") and not isinstance(value, BaseException)


def _wrap(value: Any) -> Any:
    if _is_playwright(value):
        return Remote(value)
    if isinstance(value, list | tuple):
        return type(value)(_wrap(item) for item in value)
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, Remote):
        return object.__getattribute__(value, "_target")
    if isinstance(value, list | tuple):
        return type(value)(_unwrap(item) for item in value)
    if isinstance(value, dict):
        return {key: _unwrap(item) for key, item in value.items()}
    return value


def _call(function: Callable, *args, **kwargs) -> Any:
    args = tuple(_unwrap(arg) for arg in args)
    kwargs = {key: _unwrap(arg) for key, arg in kwargs.items()}
    return _wrap(_runner.call(function, *args, **kwargs))


class Remote:
    """A Playwright object (page, locator, keyboard...) used from the test's thread."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        value = _runner.call(getattr, target, name)
        if callable(value) and not _is_playwright(value):
            return functools.partial(_call, value)
        return _wrap(value)

    def __enter__(self) -> Any:
        target = object.__getattribute__(self, "_target")
        return _call(type(target).__enter__, target)

    def __exit__(self, *exc_info) -> Any:
        target = object.__getattribute__(self, "_target")
        return _call(type(target).__exit__, target, *exc_info)

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_target"))


def in_playwright_thread(function: Callable) -> Callable:
    """Run a helper on the raw Playwright objects, in Playwright's thread."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        return _call(function, *args, **kwargs)

    return run


def expect(actual: Any, message: str | None = None) -> Any:
    """Playwright's `expect`, for objects of this module's Playwright thread."""
    return _call(playwright_expect, actual, message)


@pytest.fixture(scope="session")
def browser(web) -> Iterator[Remote]:
    """Debian's headless Chromium, one for the session (after the web server is up)."""
    global _runner
    executable = require_tool("chromium")
    if sync_playwright is None:
        message = "the playwright package is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI must run every test")
        pytest.skip(message)
    _runner = PlaywrightThread()
    playwright = _runner.call(lambda: sync_playwright().start())
    try:
        playwright_expect.set_options(timeout=TIMEOUT_MS)
        chromium = _runner.call(
            playwright.chromium.launch,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield Remote(chromium)
        _runner.call(chromium.close)
    finally:
        _runner.call(playwright.stop)
        _runner.stop()
        _runner = None


@in_playwright_thread
def _new_context(browser, base_url: str, *, bypass_csp: bool):
    context = browser.new_context(
        base_url=base_url,
        bypass_csp=bypass_csp,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # What the page said in its console; a test can look (see console_problems).
    seen = page.console_messages_seen = []
    page.on("console", lambda message: seen.append(message))
    page.on("pageerror", lambda error: seen.append(error))
    return context, page


def _page(browser, base_url: str, *, bypass_csp: bool) -> Iterator[Remote]:
    context, page = _new_context(browser, base_url, bypass_csp=bypass_csp)
    yield page
    context.close()


@pytest.fixture
def page(browser, web) -> Iterator[Remote]:
    """A fresh browser (new context: no cookies) that enforces the site's CSP."""
    yield from _page(browser, web, bypass_csp=False)


@pytest.fixture
def audit_page(browser, web) -> Iterator[Remote]:
    """A fresh browser in which axe-core can be injected (CSP bypassed)."""
    yield from _page(browser, web, bypass_csp=True)


@in_playwright_thread
def console_problems(page) -> list[str]:
    """Errors the page logged: a blocked script, a failed request, an exception.

    Leaves out the 404 of /favicon.ico, which Chromium asks for by itself (the site
    has no icon: cosmetic, and no page of it refers to one).
    """
    problems = []
    for item in page.console_messages_seen:
        if isinstance(item, BaseException):
            problems.append(f"uncaught: {item}")
        elif item.type == "error":
            source = item.location.get("url") or ""
            if source.endswith("/favicon.ico"):
                continue
            problems.append(f"{item.text} [{source}]" if source else item.text)
    return problems


@in_playwright_thread
def audit(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations",
        WCAG_21_AA,
    )


def describe_violations(violations: list[dict]) -> str:
    """One readable block per violation: rule, impact, help, and the elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n    {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    - {node['target']}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def describe_violations_by_page(found: dict[str, list[dict]]) -> str:
    """Violations of many pages, each rule and element once with the pages it is on."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for where, violations in found.items():
        for violation in violations:
            for node in violation["nodes"]:
                single = {**violation, "nodes": [node]}
                # The same element in another language is the same problem.
                key = (violation["id"], re.sub(r">[^<]*<", "><", node["html"]))
                grouped.setdefault(key, [describe_violations([single])]).append(where)
    return "\n".join(f"{text}\n    on: {', '.join(pages)}" for (text, *pages) in grouped.values())


def assert_accessible(page) -> None:
    """Fail, listing each violation, if axe finds any WCAG 2.1 A/AA problem."""
    violations = audit(page)
    if violations:
        pytest.fail(
            f"axe-core found WCAG 2.1 A/AA violations on {page.url}:\n"
            + describe_violations(violations),
            pytrace=False,
        )


@in_playwright_thread
def screenshot(page, name: str) -> Path:
    """A full-page PNG in test-output/screenshots/ (git-ignored), for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@in_playwright_thread
def switch_language(page, code: str) -> None:
    """Choose a language in the header's switcher and press its button, as a visitor does."""
    header = page.get_by_role("banner")
    header.locator("#language-switcher").select_option(value=code)
    with page.expect_navigation():
        header.get_by_role("button").click()


@in_playwright_thread
def tab_to(page, target, limit: int = 60) -> None:
    """Press Tab until `target` has the keyboard focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{limit} presses of Tab never reached {target}; focus is on {focused}")
