"""End-to-end: the screens fed by the light analytics API (issue 15, point 7), in the real browser.

The reconciliation's long lists arrive page by page (`GET /api/analytics/reconciliation/<list>`): the Matched
items table says how many of the total are loaded and loads the rest on demand, so nothing is lost; the
Calculations tab lists every metric from the bundle's digest.
"""
from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASELINE, TOKENS
from tests.e2e.test_dashboard import shot, sign_in
from tests.e2e.test_newcomer_fixes import open_tab


def _total(server: str, list_name: str) -> int:
    document = requests.get(f"{server}/api/reconciliation", params={"customer_id": BASELINE}, timeout=30,
                            headers={"Authorization": f"Bearer {TOKENS['officer']}"}).json()
    return document[list_name]["total"]


def test_matched_items_load_page_by_page_until_every_one_is_shown(page: Page, server):
    total = _total(server, "matches")
    sign_in(page, "officer", BASELINE, "reconciliation")
    panel = open_tab(page, "Reconciliation")
    status = panel.get_by_text(re.compile(r"of [\d,]+ matched items loaded"))
    expect(status).to_be_visible(timeout=20_000)
    loaded = min(total, 250)
    expect(status).to_have_text(f"{loaded:,} of {total:,} matched items loaded")
    pages = panel.get_by_role("navigation", name="Matched items pages")
    expect(pages).to_contain_text(f"of {loaded:,}")
    while loaded < total:
        panel.get_by_role("button", name=re.compile(r"Load [\d,]+ more")).first.click()
        loaded = min(total, loaded + 250)
        expect(panel.get_by_text(f"{loaded:,} of {total:,} matched items loaded")).to_be_visible(timeout=20_000)
    expect(pages).to_contain_text(f"of {total:,}")
    shot(page, "light_api_reconciliation_all_loaded")


def test_the_calculations_tab_lists_every_metric_from_the_digest(page: Page, server):
    bundle = requests.get(f"{server}/api/analytics", params={"customer_id": BASELINE}, timeout=30,
                          headers={"Authorization": f"Bearer {TOKENS['officer']}"}).json()
    metrics = sum(len(doc.get("metrics") or {}) for name, doc in bundle.items() if isinstance(doc, dict))
    sign_in(page, "officer", BASELINE, "calculations")
    panel = open_tab(page, "Calculations")
    expect(panel.get_by_text(re.compile(rf"of {metrics:,} metrics"))).to_be_visible(timeout=20_000)
    expect(panel.get_by_text("Search metrics")).to_be_visible()
