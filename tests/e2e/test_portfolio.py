"""End-to-end: the Portfolio Monitor updates live in the real browser.

An analyst opens the tab in Debian's Chromium; the test then posts repayment events for one loan through the
real HTTP API (as a lender's system would) and watches the open page change — the loan's PD, band and change
today, the distribution's movement, the top movers and a band-crossing alert with its reasons — with no
reload and no new portfolio request: the page applies the ``risk_update`` events it receives over Socket.IO.
"""
from __future__ import annotations

import re
import time
import uuid

import requests
from playwright.sync_api import Page, expect

from tests.e2e.conftest import MONITORED, TOKENS, record_timing
from tests.e2e.test_dashboard import shot, sign_in
from tests.monitoring.factory import repayment

HEADERS = {"Authorization": f"Bearer {TOKENS['analyst']}"}


def api(server: str, method: str, path: str, **kwargs) -> dict:
    response = requests.request(method, server + path, headers=HEADERS, timeout=60, **kwargs)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response.json()


def pct(pd: float) -> str:
    """A PD as the dashboard writes it in the loans table (two decimals)."""
    return f"{pd * 100:.2f}%"


def test_the_portfolio_monitor_updates_live_in_the_real_browser(page: Page, server):
    listed = api(server, "GET", "/api/portfolio")
    assert "purpose 104" in listed["note"] and listed["count"] >= 1, listed
    loans = api(server, "GET", "/api/loans", params={"customer_id": MONITORED})["loans"]
    loan = next(x for x in loans if x["status"] == "ACTIVE")
    before = next(r for r in listed["loans"] if r["loan_id"] == loan["loan_id"])
    assert before["band"] in ("LOW", "MODERATE"), f"the test needs a loan below ELEVATED to cross bands: {before}"

    portfolio_requests: list[str] = []
    page.on("request", lambda r: portfolio_requests.append(r.url) if "/api/portfolio" in r.url else None)
    sign_in(page, "analyst", tab="portfolio")
    expect(page.get_by_role("tab", name="Portfolio Monitor")).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel", name="Portfolio Monitor")
    expect(panel).to_contain_text(re.compile(r"only borrowers whose active consent covers monitoring \(purpose 104\)",
                                             re.I))
    table = panel.get_by_role("table", name="Monitored loans")
    row = table.locator(f'tr[data-loan-id="{loan["loan_id"]}"]')
    expect(row).to_contain_text(MONITORED)
    expect(row).to_contain_text(pct(before["pd"]))
    expect(row).to_contain_text(before["band"])
    expect(table.locator("tr[data-loan-id]")).to_have_count(listed["count"])
    expect(page.get_by_test_id("live-status")).to_contain_text("Live")  # joined: no update can be missed now
    expect(panel.get_by_text("No band crossings today.")).to_be_visible()
    requests_before = len(portfolio_requests)
    page.evaluate("window.__samePage = true")  # a reload would drop it
    shot(page, "portfolio_before")

    run = uuid.uuid4().hex[:8]
    events = [repayment(loan, k, "LATE", delay=21, event_id=f"E2E-{run}-{k}") for k in range(2)] + \
             [repayment(loan, k, "BOUNCED", delay=3, event_id=f"E2E-{run}-{k}") for k in range(2, 6)]
    posted_at = time.monotonic()
    result = api(server, "POST", "/api/events/repayments", json=events)
    assert (result["accepted"], result["quarantined"], result["alerts"]) == (6, 0, 1), result
    now = api(server, "GET", f"/api/loans/{loan['loan_id']}/risk-history")["history"][-1]
    assert now["band"] != before["band"] and now["alert"], now

    expect(row).to_contain_text(pct(now["pd"]))
    shown_after = time.monotonic() - posted_at
    expect(row.get_by_text(now["band"], exact=True)).to_be_visible()
    expect(row).to_contain_text(f"+{(now['pd'] - before['pd']) * 100:.2f} pp")
    alerts = panel.get_by_role("list", name="Alerts today")
    expect(alerts).to_contain_text(loan["loan_id"])
    expect(alerts).to_contain_text("Worsened")
    expect(alerts.get_by_role("list", name=f"Why {loan['loan_id']} moved").get_by_role("listitem").first) \
        .to_contain_text(re.compile(r"went from .+ to .+; on its own this raised the risk"))
    expect(panel.get_by_role("list", name="Top movers today")).to_contain_text(loan["loan_id"])
    expect(page.get_by_test_id("pd-movement")).to_contain_text("1 loan up")
    expect(page.get_by_test_id("live-status")).to_contain_text("1 update received")
    assert page.evaluate("window.__samePage") is True, "the page was reloaded"
    assert len(portfolio_requests) == requests_before, portfolio_requests
    record_timing("portfolio_post_to_screen", shown_after * 1000, loan=loan["loan_id"],
                  what="POST /api/events/repayments sent -> the new PD seen on screen; an upper bound: it includes "
                       "the POST's own answer and a risk-history GET made before looking")
    shot(page, "portfolio_after_update")

    # the loan's PD history: click its row; a further event adds a score to the open chart, live too
    row.click()
    chart = panel.get_by_role("img", name=re.compile(f"^PD history of {loan['loan_id']}\\. 2 scores"))
    expect(chart).to_be_visible()
    scores = panel.get_by_role("table", name=re.compile(f"Scores of {loan['loan_id']}"))
    expect(scores.locator("tbody tr")).to_have_count(2)
    expect(scores.locator("tbody tr").first).to_contain_text("Bounced")
    expect(scores.locator("tbody tr").last).to_contain_text("Booking score")
    expect(panel.locator(".recharts-line-dot")).to_have_count(2)
    api(server, "POST", "/api/events/repayments",
        json=[repayment(loan, 6, "BOUNCED", delay=3, event_id=f"E2E-{run}-6")])
    expect(panel.get_by_role("img", name=re.compile(f"^PD history of {loan['loan_id']}\\. 3 scores"))).to_be_visible()
    expect(scores.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("live-status")).to_contain_text("2 updates received")
    assert page.evaluate("window.__samePage") is True, "the page was reloaded"
    shot(page, "portfolio_history")
    assert page.errors == [], page.errors


def test_loan_officers_do_not_get_the_portfolio_monitor(page: Page, server):
    sign_in(page, "officer", tab="portfolio")
    expect(page.get_by_role("tab", name="Analytics Insights")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="Portfolio Monitor")).to_have_count(0)
    refused = requests.get(server + "/api/portfolio", headers={"Authorization": f"Bearer {TOKENS['officer']}"},
                           timeout=10)
    assert refused.status_code == 403 and "analyst" in refused.json()["message"]
    assert page.errors == []
