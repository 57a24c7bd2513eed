"""End-to-end: the Account Aggregator journey from the Consents tab in Chromium, against the real server and the
local AA (``python -m generators.aa_server``) over real HTTP.

An admin asks for consent; the approval link appears; the customer approves on the AA's own page in a new tab;
the AA's signed notification reaches the server, which pushes ``aa_consent_status`` to the dashboard, so the
badge turns ACTIVE with no reload and no click; Fetch data runs ``aa-fetch`` and its log streams in, ending with
what was fetched; the consent registry and the audit trail show the AA consent and the fetch.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AA_JOURNEY
from tests.e2e.test_dashboard import shot, sign_in

FETCHED = re.compile(r"fetched (\d+) account\(s\),? (?:and )?(\d+) transaction\(s\)")


def test_the_aa_journey_requests_consent_follows_the_approval_live_and_fetches(page: Page, context, local_aa):
    if local_aa is None:
        pytest.skip("E2E_SERVER: no local AA is started for an outside server")
    sign_in(page, "admin", AA_JOURNEY, "consents")
    card = page.get_by_role("region", name="Account Aggregator")
    expect(card.get_by_text(f"No consent has been requested from the Account Aggregator for {AA_JOURNEY} yet.")).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if anything reloads the page

    # 1. request consent: purpose 104, DEPOSIT and GSTR1_3B, as the form proposes
    form = card.get_by_role("form", name="Request consent from the Account Aggregator")
    expect(form.get_by_label("Purpose")).to_have_value("104")
    expect(form.get_by_role("checkbox", name=re.compile("^DEPOSIT"))).to_be_checked()
    expect(form.get_by_role("checkbox", name=re.compile("^GSTR1_3B"))).to_be_checked()
    form.get_by_role("button", name="Request consent").click()
    log = card.get_by_role("log", name="Account Aggregator log")
    expect(log).to_contain_text("consent handle", timeout=30_000)
    expect(log).to_contain_text(f"the customer approves at {local_aa['base_url']}/approve/")

    # 2. the handle and the approval page of the local AA
    link = card.get_by_role("link", name="Open the AA approval page")
    expect(link).to_have_attribute("href", re.compile("^" + re.escape(local_aa["base_url"] + "/approve/")))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    handle = card.get_by_test_id("aa-handle").inner_text()
    assert link.get_attribute("href").endswith("/approve/" + handle)
    status = card.get_by_test_id("aa-status")
    expect(status).to_have_text("PENDING")
    expect(card.get_by_role("button", name="Fetch data")).to_be_disabled()

    # 3. the customer approves on the AA's page; the badge turns ACTIVE as the AA's notification arrives
    with context.expect_page() as opened:
        link.click()
    aa_page = opened.value
    aa_page.wait_for_load_state()
    expect(aa_page.get_by_role("heading", name="Consent request")).to_be_visible()
    expect(aa_page.get_by_text(handle)).to_be_visible()
    aa_page.get_by_role("button", name="Approve").click()
    expect(aa_page.locator(".status")).to_have_text("ACTIVE")
    aa_page.close()
    page.bring_to_front()
    expect(status).to_have_text("ACTIVE", timeout=15_000)
    history = card.get_by_role("list", name="Consent status history")
    expect(history.get_by_role("listitem").first).to_contain_text("ACTIVE")
    expect(history.get_by_role("listitem").first).to_contain_text("from AA notification")
    expect(history.get_by_role("listitem").first).to_contain_text("IST")
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"

    # 4-5. fetch under the ACTIVE consent; the log streams in and says what was fetched
    fetch = card.get_by_role("button", name="Fetch data")
    expect(fetch).to_be_enabled()
    fetch.click()
    expect(card.get_by_test_id("aa-job")).to_contain_text("Data fetch")
    expect(log).to_contain_text(FETCHED, timeout=120_000)
    outcome = card.get_by_test_id("aa-outcome")
    expect(outcome).to_contain_text("Data fetch finished")  # "… with N warning(s)" when the FIP sent less
    accounts, transactions = map(int, FETCHED.search(outcome.inner_text()).groups())
    assert accounts >= 1 and transactions >= 1, outcome.inner_text()
    expect(card.get_by_text("never")).to_have_count(0)  # "Last fetched" now has a time

    # the approved AA consent joined the registry; the fetch is in the audit trail
    consents = page.get_by_role("table", name="Consent artefacts")
    expect(consents).to_contain_text("ACTIVE")
    expect(consents).to_contain_text("104")
    trail = page.get_by_role("table", name="Audit trail")
    expect(trail).to_contain_text("Aa fetch")
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot scrolled down draws the sticky header mid-page
    shot(page, "aa_journey_fetched")
    assert page.errors == []
