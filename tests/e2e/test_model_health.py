"""End-to-end: an analyst opens the Model Health tab in the real browser and reads the risk model's stability.

The e2e lake's risk model was trained (with its reference profile) when its customers were scored; the page
shows that model, the as-of month its customers were scored in, and says plainly that three customers are too
few to judge a shift. A loan officer does not get the tab.
"""
from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AS_OF, TOKENS
from tests.e2e.test_dashboard import shot, sign_in


def test_an_analyst_opens_model_health_and_an_officer_does_not_see_it(page: Page, server):
    report = requests.get(server + "/api/model-health", headers={"Authorization": f"Bearer {TOKENS['analyst']}"},
                          timeout=60).json()
    month = AS_OF.isoformat()[:7]
    assert report["model"]["name"] == "risk_model" and [m["month"] for m in report["months"]][-1] == month, report
    assert report["months"][-1]["status"] == "insufficient"   # three scored customers: too few to judge

    sign_in(page, "analyst", tab="model-health")
    expect(page.get_by_role("tab", name="Model Health")).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel", name="Model Health")
    expect(panel).to_contain_text(f"Risk model {report['model']['version']}")
    expect(panel.get_by_role("img", name=re.compile(r"^Population stability by month\."))).to_be_visible()
    row = panel.locator(f'tr[data-month="{month}"]')
    expect(row).to_contain_text("Too few scored")
    expect(row).to_contain_text(str(report["months"][-1]["n_scored"]))
    expect(panel).to_contain_text(re.compile(r"Only \d+ customers were scored this month"))
    expect(panel.get_by_test_id("calculation")).to_contain_text("ln(a / e)")
    inputs = panel.get_by_role("region", name=f"Input stability in {month}")
    expect(inputs.locator("tr[data-feature]")).to_have_count(len(report["months"][-1]["features"]))
    shot(page, "model_health")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "officer", tab="model-health")
    expect(page.get_by_role("tab", name="Analytics Insights")).to_be_visible()
    expect(page.get_by_role("tab", name="Model Health")).to_have_count(0)
