"""End-to-end: the portfolio views over the warehouse in the real browser.

The warehouse of the served lake is built with the real command (``python -m pipeline warehouse build``); an
analyst opens the Portfolio view in Chromium and sees the approval mix by month computed by the server — the
same months and counts the API returns — then switches to the vintage curves and sees their chart.
"""
from __future__ import annotations

import re
import subprocess
import sys

import requests
from playwright.sync_api import Page, expect

from tests.conftest import PROJECT_ROOT
from tests.e2e.conftest import TOKENS
from tests.e2e.test_dashboard import shot, sign_in

HEADERS = {"Authorization": f"Bearer {TOKENS['analyst']}"}


def test_an_analyst_sees_the_portfolio_views_computed_over_the_warehouse(page: Page, server, e2e_lake):
    built = subprocess.run([sys.executable, "-m", "pipeline", "warehouse", "build", "--lake", str(e2e_lake)],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    reply = requests.get(f"{server}/api/portfolio/views/approval_mix_by_month", headers=HEADERS, timeout=60)
    assert reply.status_code == 200, reply.text[:300]
    mix = reply.json()
    assert mix["rows"], "the served lake has decisions, so the mix has a month"

    sign_in(page, "analyst", tab="portfolio")
    panel = page.get_by_role("tabpanel", name="Portfolio Monitor")
    views = panel.locator("#pf-views")
    views.scroll_into_view_if_needed()
    expect(views.get_by_role("button", name="Approval and decline mix by month")).to_have_attribute(
        "aria-pressed", "true")
    table = views.get_by_test_id("portfolio-view-table")
    expect(table.locator("tbody tr")).to_have_count(len(mix["rows"]))
    first = dict(zip(mix["columns"], mix["rows"][0]))
    row = table.locator("tbody tr").first
    expect(row.locator("td").nth(1)).to_have_text(str(first["decisions"]))
    expect(row.locator("td").nth(5)).to_have_text(f"{first['approval_rate'] * 100:.1f}%")
    expect(views.get_by_role("img", name=re.compile(r"^Decisions by month"))).to_be_visible()

    views.get_by_role("button", name="Vintage curves").click()
    expect(views.get_by_role("img", name=re.compile(r"^Cumulative 30\+ DPD rate"))).to_be_visible()
    expect(views).to_contain_text("Loans grouped by disbursal month")
    shot(page, "portfolio_views")
    assert page.errors == []
