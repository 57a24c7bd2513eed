"""End-to-end: a batch started from the Pipeline Monitor in Chromium runs ``python -m pipeline batch`` on the
real server (a Dask LocalCluster) and its progress streams into the page, customer by customer."""
from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASELINE, FRAUD, TOKENS
from tests.e2e.test_dashboard import sign_in

UNKNOWN = "CUST_BWX_00001"  # not in the lake: with no generate step its clean step fails, alone


def test_a_batch_streams_each_customers_outcome_into_the_pipeline_monitor(page: Page, server):
    sign_in(page, "analyst", BASELINE, "pipeline")
    form = page.get_by_role("form", name="Batch run")
    form.get_by_label("Who to run").fill(f"{BASELINE}\n{FRAUD}, not-an-id")
    expect(form.get_by_role("alert")).to_contain_text("Not customer IDs: not-an-id")
    expect(form.get_by_role("button", name=re.compile("Run batch"))).to_be_disabled()
    form.get_by_label("Who to run").fill(f"{BASELINE}\n{FRAUD}\n{UNKNOWN}")
    for step in ("Generate", "Score", "Models"):
        form.get_by_label(step, exact=True).uncheck()
    form.get_by_label("Workers").select_option("1")
    form.get_by_role("button", name="Run batch for 3 customer(s)").click()
    progress = page.get_by_test_id("batch-progress")
    expect(progress).to_contain_text("Batch of 3 customer(s)")
    log = page.get_by_role("log", name="Batch log")
    expect(log).to_contain_text("batch of 3 customer(s)", timeout=60_000)
    expect(progress).to_contain_text("2 done, 1 failed of 3", timeout=120_000)
    expect(page.get_by_role("list", name="customers that failed")).to_contain_text(UNKNOWN)
    expect(progress).to_contain_text("Error")  # the batch as a whole reports the failure
    expect(log).to_contain_text("batch finished: 2 done, 1 failed of 3")
    job_id = re.search(r"job_[0-9a-f]+", progress.inner_text()).group(0)
    state = requests.get(f"{server}/api/jobs/{job_id}", headers={"Authorization": f"Bearer {TOKENS['analyst']}"},
                         timeout=10).json()
    assert state["progress"] == {"done": 2, "failed": 1, "total": 3} and state["steps"] == ["clean", "analyze"]
    page.reload()  # the batch is found again after a reload
    expect(page.get_by_test_id("batch-progress")).to_contain_text("2 done, 1 failed of 3")
    assert page.errors == []
