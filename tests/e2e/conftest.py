"""End-to-end fixtures: a temporary lake, the REAL server in a subprocess serving the BUILT dashboard, and
Debian's Chromium driven by Playwright for Python.

Nothing is mocked: the browser signs in with real tokens, the dashboard calls the real Flask API and follows
jobs over the real Socket.IO connection. The dashboard must be built first (``npm run build`` in
``frontend/``; ``make test`` does it): without ``frontend/dist`` the tests fail and say so.

A local Account Aggregator (``python -m generators.aa_server``) runs beside the server, as ``make run`` would
pair them: the server asks it for consents and fetches from it (``AA_BASE_URL``), it notifies the server of
each consent's status (``--fiu-url``) and verifies the server's signed requests (``--fiu-key``).

Environment knobs (all optional):
  E2E_CHROMIUM    the browser binary (default /usr/bin/chromium; ``playwright install`` is never used)
  E2E_SERVER      an already running server to test instead of starting one (its lake must hold the
                  customers below and accept the tokens below; for debugging only)
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.served import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DIST = PROJECT_ROOT / "frontend" / "dist"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TOKENS = {"officer": "e2e-officer-token", "analyst": "e2e-analyst-token", "admin": "e2e-admin-token"}
BASELINE, FRAUD, REVOCABLE = "CUST_MSM_00001", "CUST_MSM_00006", "CUST_MSM_00003"
# a borrower with a running (DISBURSED) OCEN loan in the LOW band, consenting to monitoring (purpose 104):
# the Portfolio Monitor test moves its PD live (the three above have CLOSED loans only)
MONITORED = "CUST_MSM_00002"
# a borrower the lake knows nothing of until the AA journey test asks the local AA for consent and fetches
# under it (so no other test may rely on it, and it is not prepared below)
AA_JOURNEY = "CUST_AAJ_00001"
FIU_CLIENT_ID = "FIU-MSME-LAKE"  # pipeline.aa.journey's default AA_CLIENT_ID
# customer -> (profile, steps): the two the dashboard is shown with, fully scored; a third, analysed only,
# whose consent the revocation test revokes (so no other test loses its data); the monitored borrower, scored
CUSTOMERS = {
    BASELINE: ("baseline", ["generate", "clean", "analyze", "score", "models"]),
    FRAUD: ("fraud", ["generate", "clean", "analyze", "score", "models"]),
    REVOCABLE: ("high_debt", ["generate", "clean", "analyze"]),
    MONITORED: ("high_seasonality", ["generate", "clean", "analyze", "score"]),
}
# The behavioural (loan monitoring) model is trained once per lake, on a smaller synthetic repayment history
# with 3-fold validation (same trainer, seconds instead of a minute), so the portfolio has PDs at booking.
E2E_BEHAVIOUR_ROWS = 1500
# The demo risk model is trained once per lake; a 60-customer portfolio keeps that to seconds (the
# dashboard shows whatever the saved model says; its quality is the risk tests' business, not ours).
E2E_PORTFOLIO = 60
AS_OF = date.today().replace(day=1)


@pytest.fixture(scope="session")
def dist() -> Path:
    """The built dashboard; a clear failure when it was not built."""
    if not (DIST / "index.html").is_file():
        pytest.fail(f"the dashboard is not built: {DIST / 'index.html'} is missing. Build it with "
                    "`cd frontend && npm ci && npm run build` (`make test` builds it before the tests).",
                    pytrace=False)
    return DIST


@pytest.fixture(scope="session")
def e2e_lake(tmp_path_factory) -> Path:
    """A lake with the customers above, prepared exactly as the CLI would (pipeline.runner.run_steps), and the
    behavioural model that scores their booked loans (as `python -m monitoring train` would)."""
    from monitoring.model import save_behaviour_model, train_behaviour_model
    from pipeline.config import load_config
    from pipeline.lake import Lake
    from pipeline.runner import run_steps

    config = copy.deepcopy(load_config())
    config.setdefault("risk_model", {})["demo_portfolio"] = E2E_PORTFOLIO
    lake = Lake(tmp_path_factory.mktemp("e2e") / "lake")
    for customer_id, (profile, steps) in CUSTOMERS.items():
        outcome = run_steps(lake, customer_id, steps, config, lambda level, message: None,
                            {"generate": {"profile": profile, "as_of": AS_OF}})
        assert outcome["status"] == "done", (customer_id, outcome)
        if "models" in steps:  # the case-file tests read the engine's own decision (analytics/decision)
            assert lake.analytics_path(customer_id, "decision").exists(), customer_id
    monitoring = config["monitoring"]
    small = {**config, "monitoring": {**monitoring, "model": {
        **monitoring["model"], "training_rows": E2E_BEHAVIOUR_ROWS,
        "trainer": {**monitoring["model"].get("trainer", {}), "cv_folds": 3}}}}
    bundle, _card = train_behaviour_model(lake, small)
    save_behaviour_model(lake, bundle, config)
    return lake.root


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def local_aa(tmp_path_factory) -> dict:
    """The local AA on a free port, started before the server whose port it is told now (``server_port``):
    ``{"base_url", "server_port", "env"}``, ``env`` being what the server needs to use it. The FIU's signing key
    pair is created first, as the FIU does on first use, so the AA can be given the public half. None with
    ``E2E_SERVER`` (that server has its own AA, if any)."""
    if os.environ.get("E2E_SERVER"):
        yield None
        return
    keys = tmp_path_factory.mktemp("e2e_aa")
    # the AA settings are all given, so none leaks in from the developer's environment
    env = {"AA_FIU_SIGNING_KEY_FILE": str(keys / "fiu.pem"), "AA_CLIENT_ID": FIU_CLIENT_ID, "AA_CLIENT_API_KEY": "",
           "AA_PUBLIC_KEY_FILE": ""}
    subprocess.run([sys.executable, "-c", "from pipeline.aa.journey import aa_settings, signing_key; "
                    "signing_key(aa_settings({}))"], cwd=PROJECT_ROOT, env={**os.environ, **env}, check=True)
    aa_port = free_port()
    server_port = free_port()
    while server_port == aa_port:
        server_port = free_port()
    base = f"http://127.0.0.1:{aa_port}"
    log_path = keys / "aa.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "generators.aa_server", "--port", str(aa_port),
                             "--fiu-key", f"{FIU_CLIENT_ID}={keys / 'fiu.pub.pem'}",
                             "--fiu-url", f"{FIU_CLIENT_ID}=http://127.0.0.1:{server_port}"],
                            cwd=PROJECT_ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60  # as tests/served.py: a loaded machine starts the server slowly
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("the local AA did not start:\n" + log_path.read_text(errors="replace")[-3000:], pytrace=False)
        try:
            if requests.get(base + "/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield {"base_url": base, "server_port": server_port, "env": {**env, "AA_BASE_URL": base}}
    _stop(proc)
    log.close()


@pytest.fixture(scope="session")
def server(dist, e2e_lake, local_aa, tmp_path_factory) -> str:
    """``python -m api_panel serve`` on a free port, serving ``frontend/dist`` and the lake, and asking the local
    AA for consents; its base URL."""
    if os.environ.get("E2E_SERVER"):
        yield os.environ["E2E_SERVER"].rstrip("/")
        return
    port = local_aa["server_port"]
    env = {**os.environ, **local_aa["env"], "LAKE_DIR": str(e2e_lake),
           "API_TOKENS": ",".join(f"{role}:{token}" for role, token in TOKENS.items()),
           # no AI provider is reachable from tests: the offline narrative answers
           "OPENAI_API_KEY": "", "DEEPSEEK_API_KEY": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": "",
           "CORS_ORIGINS": ""}
    log_path = tmp_path_factory.mktemp("e2e_server") / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "api_panel", "serve", "--port", str(port)], cwd=PROJECT_ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # as tests/served.py: a loaded machine starts the server slowly
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("the server did not start:\n" + log_path.read_text(errors="replace")[-3000:], pytrace=False)
        try:
            if requests.get(base + "/api/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    page = requests.get(base + "/", timeout=10)
    assert page.status_code == 200 and "<div" in page.text, f"the server does not serve the dashboard: {page.text[:300]}"
    yield base
    _stop(proc)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Playwright refuses ``--user-data-dir`` in ``args`` with ``launch()``; it
    gives every launch a fresh temporary profile of its own (``--user-data-dir=/tmp/playwright_...``), and
    every test gets a fresh context on top of it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's package (`apt-get install chromium`) or point "
                    "E2E_CHROMIUM at a Chromium binary; `playwright install` is not used", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def context(browser, server):
    ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800}, locale="en-IN",
                              timezone_id="Asia/Kolkata")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context, request):
    """A page that records browser errors; a screenshot of the final state is saved for every test."""
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a screenshot must never hide the test's own result
        pass


def record_timing(name: str, value_ms: float, **extra) -> dict:
    """Add a measurement to screenshots/timings.json (kept across tests of one run) and print it."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "timings.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data[name] = {"ms": round(value_ms, 1), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **extra}
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\n[e2e timing] {name}: {value_ms:.0f} ms {extra or ''}")
    return data[name]
