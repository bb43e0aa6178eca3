"""Playwright driving Debian's Chromium (see shared/STACK-NOTES.md), with axe-core on every page."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from quiz import matching
from quiz.models import Question

AXE = next((Path(__file__).parent / "vendor").glob("axe-core-*.min.js"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/lib/chromium/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def bank(transactional_db):
    """Live-server tests run in real transactions and flush the database after each test, so
    they load the real bank themselves."""
    if not Question.objects.exists():
        call_command("import_questions", verbosity=0)


@pytest.fixture(scope="session")
def base_url(live_server):
    # The live server shares this process: load the Chinese word segmenter once, before any journey
    # waits on its first use (a second or more on a loaded machine).
    matching.warm_up()
    return live_server.url


class AxeViolations(AssertionError):
    pass


def check_accessibility(page) -> None:
    """Run axe-core on the current page; fail on serious or critical violations. (Evaluated through
    the debugging protocol, which the page's Content-Security-Policy does not govern: a script tag
    would be refused, rightly.)"""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    if serious:
        details = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in serious
        ]
        raise AxeViolations(f"{page.url}: {json.dumps(details, ensure_ascii=False, indent=1)}")


@pytest.fixture
def axe():
    return check_accessibility


@pytest.fixture(autouse=True)
def no_csp_violations(page):
    """Every journey runs under the production Content-Security-Policy: any violation fails it (seen both
    as a console message and as a securitypolicyviolation event, counted in a binding that survives
    navigation)."""
    violations = []
    page.expose_binding("__cspViolation", lambda _source, text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolation("
        "e.violatedDirective + ' ' + (e.sourceFile || '') + ':' + e.lineNumber + ' ' + (e.sample || '')));"
    )
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert violations == []
