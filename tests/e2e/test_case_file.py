"""End-to-end: the officer's case file in Debian's Chromium against the real server and a real lake.

The case list after sign-in, the decision header (decision, one risk grade, the rate build-up), an override
refused on screen without a reason and recorded with one, and the credit memo downloaded by the browser as a
real PDF whose text is read back with pypdf.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import requests
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import BASELINE, FRAUD, TOKENS
from tests.e2e.test_dashboard import shot, sign_in

WORDS = {"APPROVE": "Approve", "APPROVE_WITH_CONDITIONS": "Approve with conditions", "REFER": "Refer",
         "DECLINE": "Decline"}
BUILD_UP = ("benchmark", "cost of funds", "operating cost", "expected loss", "capital charge")


def api(server: str, path: str, role: str = "officer", **params):
    response = requests.get(f"{server}{path}", params=params, headers={"Authorization": f"Bearer {TOKENS[role]}"},
                            timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response


def lake_file(e2e_lake: Path, *parts: str) -> dict:
    return json.loads(Path(e2e_lake, *parts).read_text())


def test_the_case_list_opens_a_case_under_its_decision_header(page: Page, server, e2e_lake):
    decision = api(server, "/api/decision", customer_id=BASELINE).json()
    meta = lake_file(e2e_lake, "raw", BASELINE, "customer.json")
    sign_in(page, "officer")
    cases = page.get_by_role("region", name="Cases")
    row = cases.get_by_role("row").filter(has=page.get_by_role("button", name=re.compile(f"\\({BASELINE}\\)")))
    expect(row).to_contain_text(WORDS[decision["decision"]])
    grade = decision["risk_grade"]
    pd_text = f"{grade['band']} · PD {grade['probability_of_default']['value'] * 100:.1f}%"
    expect(row).to_contain_text(pd_text)
    shot(page, "case_list")
    row.get_by_role("cell").nth(2).click()  # anywhere on the row opens the case
    expect(page).to_have_url(re.compile(f"customer_id={BASELINE}.*tab=case|tab=case.*customer_id={BASELINE}"))
    expect(page.get_by_role("tab", name="Case File")).to_have_attribute("aria-selected", "true")

    header = page.get_by_role("region", name="Credit decision")
    expect(header.locator(".decision-badge")).to_have_text(WORDS[decision["decision"]])
    expect(header.get_by_test_id("risk-grade")).to_have_text(pd_text)
    expect(header).to_contain_text(f"Credit score {round(grade['scorecard']['value'])} (300–900)")
    registrations = header.get_by_label("Registrations")
    for value in (meta["pan"], meta["gstin"], meta["udyam"]):
        expect(registrations).to_contain_text(value)
    if decision.get("offer"):
        build_up = header.get_by_label("Rate build-up")
        expect(build_up).to_be_visible()
        for part in BUILD_UP:
            expect(build_up).to_contain_text(part)
        expect(header).to_contain_text(re.compile(r"₹\d+\.\d\d (L|Cr)"))  # a summary figure: lakh/crore
    text = page.locator("body").inner_text()
    assert "Profile:" not in text and meta["profile"] not in text.split()
    assert not re.search(r"\bundefined\b|\bNaN\b|log-odds|of 100\b", text), text[:2000]
    header.get_by_role("button", name="Details").click()
    expect(header).to_contain_text("AUC")
    shot(page, "case_decision_header")
    assert page.errors == []


def test_an_override_is_refused_without_a_reason_and_recorded_with_one(page: Page, server):
    engine = api(server, "/api/decision", customer_id=BASELINE).json()["decision"]
    override = "REFER" if engine != "REFER" else "DECLINE"
    before = api(server, "/api/case-history", customer_id=BASELINE).json()["count"]
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "officer-decisions" in r.url else None)
    sign_in(page, "officer", BASELINE, "case")
    form = page.get_by_role("form", name="Record your decision")
    form.get_by_role("radio", name=WORDS[override], exact=True).check()
    form.get_by_role("button", name="Record decision").click()
    expect(form.get_by_role("alert")).to_contain_text("Give a reason: your decision differs from the engine's")
    expect(form.get_by_label(re.compile("^Reason"))).to_have_attribute("aria-invalid", "true")
    assert posts == []
    assert api(server, "/api/case-history", customer_id=BASELINE).json()["count"] == before
    shot(page, "case_override_refused")

    reason = "Related-party credits need the credit manager's view (e2e)"
    form.get_by_label(re.compile("^Reason")).fill(reason)
    form.get_by_label("Note").fill("Seen in the statement's top counterparties")
    form.get_by_role("button", name="Record decision").click()
    expect(form.get_by_role("status")).to_contain_text(f"Recorded: {WORDS[override]} (differs from the engine)")
    history = page.get_by_role("list", name="Case history")
    first = history.get_by_role("listitem").first
    expect(first).to_contain_text("Officer decision")
    expect(first).to_contain_text(WORDS[override])
    expect(first).to_contain_text(f"Reason: {reason}")
    officer = page.get_by_role("region", name="Credit decision").get_by_test_id("officer-decision")
    expect(officer).to_contain_text(WORDS[override])
    expect(officer).to_contain_text("Differs from the engine")
    stored = api(server, "/api/case-history", customer_id=BASELINE).json()
    assert stored["latest_officer"]["reason"] == reason and stored["latest_officer"]["by"] == "env-officer"
    assert len(posts) == 1
    shot(page, "case_override_recorded")
    assert page.errors == []


def test_the_credit_memo_downloads_as_a_real_pdf(page: Page, server, e2e_lake, tmp_path):
    decision = api(server, "/api/decision", customer_id=FRAUD).json()
    meta = lake_file(e2e_lake, "raw", FRAUD, "customer.json")
    reason = "Fraud control asked for the GST ledger (e2e memo)"
    officer = "REFER" if decision["decision"] != "REFER" else "DECLINE"
    recorded = requests.post(f"{server}/api/officer-decisions", timeout=30,
                             headers={"Authorization": f"Bearer {TOKENS['analyst']}"},
                             json={"customer_id": FRAUD, "decision": officer, "reason": reason})
    assert recorded.status_code == 201, recorded.text
    sign_in(page, "officer", FRAUD, "insights")
    header = page.get_by_role("region", name="Credit decision")
    with page.expect_download() as download_info:
        header.get_by_role("button", name="Download credit memo").click()
    download = download_info.value
    assert download.suggested_filename == f"credit-memo-{FRAUD}.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    grade = decision["risk_grade"]
    for expected in (meta["business_name"], meta["pan"], meta["gstin"], meta["udyam"], FRAUD,
                     decision["policy"]["version"], f"PD {grade['probability_of_default']['value'] * 100:.1f}%",
                     WORDS[decision["decision"]], "Officer decision", WORDS[officer], reason):
        assert expected in text, (expected, text[:1500])
    expect(header.get_by_role("status")).to_contain_text(f"Saved credit-memo-{FRAUD}.pdf")
    assert page.errors == []
