"""End-to-end: what a newcomer hit (issue 15, point 9), checked in the real browser at 1440x900.

Metric tiles never break inside a word; the reconciliation tables fit their cards (or scroll inside them with
the header in view); the risk-driver chart's axis labels lie inside the chart; the Portfolio Monitor's
summary counts what its table lists; the Pipeline Monitor keeps each step's status and the log across jobs,
with log times in IST even in a browser set to UTC. Screenshots land in ``tests/e2e/screenshots/``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASELINE, SCREENSHOTS
from tests.e2e.test_dashboard import shot, sign_in

WIDE = {"width": 1440, "height": 900}
FETCHED = "CUST_NWC_00015"  # not in the lake: the pipeline test fetches it, then cleans it
IST = timezone(timedelta(hours=5, minutes=30))

# Every line break inside an element, as [before, after, text]: a break between two characters with no space
# between them is inside a word, unless it falls where the markup allows one (between a tile's number and its unit).
MID_WORD_BREAKS = """(el) => {
    const chars = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i += 1) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (/\\s/.test(node.data[i])) {
                if (chars.length) chars[chars.length - 1].space = true;  // a space (even collapsed at a wrap)
            } else if (rect && rect.width > 0) {
                chars.push({ c: node.data[i], top: rect.top, cls: node.parentElement.className, space: false });
            }
        }
    }
    const breaks = [];
    for (let k = 1; k < chars.length; k += 1) {
        const [a, b] = [chars[k - 1], chars[k]];
        if (b.top <= a.top + 2 || a.space) continue;
        if (b.cls === 'metric-unit' && a.cls !== 'metric-unit') continue;  // the <wbr> before the unit
        breaks.push([a.c, b.c, el.textContent]);
    }
    return breaks;
}"""


@pytest.fixture()
def wide(browser, server, request):
    """A page at 1440x900 (the newcomer's screen), in India's time zone; a screenshot of the end state."""
    context = browser.new_context(base_url=server, viewport=WIDE, locale="en-IN", timezone_id="Asia/Kolkata")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"newcomer_{request.node.name}.png"), full_page=True)
    context.close()


def open_tab(page: Page, name: str):
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name, exact=True)
    expect(panel.get_by_role("status").filter(has_text=re.compile("Loading"))).to_have_count(0, timeout=20_000)
    return panel


def test_metric_tiles_never_break_a_word(wide: Page):
    sign_in(wide, "officer", BASELINE, "insights")
    checked, problems = 0, []
    for name in ("Analytics Insights", "Risk & Forecast", "Reconciliation", "Recommendations", "Smart Collect"):
        panel = open_tab(wide, name)
        tiles = panel.locator(".metric-tile")
        expect(tiles.first).to_be_visible()
        # one round trip per tab: every visible tile's breaks and overflow, measured in the page
        found = tiles.evaluate_all(f"""(tiles) => {{
            const breaks = {MID_WORD_BREAKS};
            return tiles.filter((t) => t.getClientRects().length > 0).map((t) => {{
                const value = t.querySelector('.metric-value');
                return {{
                    text: value.textContent,
                    breaks: [value, ...t.querySelectorAll('.metric-window .nowrap')].flatMap(breaks),
                    sizes: [t.scrollWidth, t.clientWidth, value.scrollWidth, value.clientWidth],
                }};
            }});
        }}""")
        checked += len(found)
        for tile in found:
            problems += [f"{name}: {text!r} breaks between {a!r} and {b!r}" for a, b, text in tile["breaks"]]
            sizes = tile["sizes"]
            if sizes[0] > sizes[1] + 1 or sizes[2] > sizes[3] + 1:
                problems.append(f"{name}: {tile['text']!r} overflows its tile {sizes}")
        if name == "Analytics Insights":
            shot(wide, "newcomer_tiles_insights")
    assert checked > 40, checked
    assert problems == [], problems
    assert wide.errors == []


def test_reconciliation_tables_fit_their_cards_or_scroll_inside_them(wide: Page):
    sign_in(wide, "officer", BASELINE, "reconciliation")
    panel = open_tab(wide, "Reconciliation")
    scrolls = panel.locator(".table-scroll")
    expect(scrolls.first).to_be_visible()
    assert scrolls.count() >= 4
    for box in scrolls.all():
        caption = box.locator("caption").inner_text()
        card = box.evaluate("el => { const c = el.closest('.card').getBoundingClientRect(); "
                            "const b = el.getBoundingClientRect(); return [b.left, b.right, c.left, c.right]; }")
        assert card[2] <= card[0] and card[1] <= card[3], f"{caption}: the table's box leaves its card {card}"
        last = box.locator("thead th").last
        # at 1440 px every table fits: its last column lies inside the box without scrolling
        fits = box.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        assert fits, f"{caption}: needs sideways scrolling at 1440 px"
        lb, bb = last.bounding_box(), box.bounding_box()
        assert lb["x"] + lb["width"] <= bb["x"] + bb["width"] + 1, f"{caption}: its last column is cut off"
    shot(wide, "newcomer_reconciliation_1440")

    # narrower, a table that no longer fits scrolls inside its card, and its header row stays in view
    wide.set_viewport_size({"width": 1024, "height": 700})
    matched = panel.locator(".table-scroll").filter(has=wide.get_by_role("table", name="Matched items"))
    assert matched.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
    assert wide.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    matched.evaluate("el => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight; }")
    last, box = matched.locator("thead th").last, matched.bounding_box()
    lb = last.bounding_box()
    assert box["x"] <= lb["x"] and lb["x"] + lb["width"] <= box["x"] + box["width"] + 1, (lb, box)
    assert box["y"] - 1 <= lb["y"] <= box["y"] + box["height"], f"the header scrolled away: {lb} in {box}"
    expect(last).to_contain_text("Bank txn")
    shot(wide, "newcomer_reconciliation_1024_scrolled")
    assert wide.errors == []


def test_risk_driver_axis_labels_are_whole_and_inside_the_chart(wide: Page):
    sign_in(wide, "officer", BASELINE, "risk")
    panel = open_tab(wide, "Risk & Forecast")
    chart = panel.locator("figure[aria-label^='Risk drivers']")
    ticks = chart.locator(".risk-driver-tick")
    expect(ticks.first).to_be_visible()
    svg = chart.locator("svg.recharts-surface").first.bounding_box()
    boxes = []
    for tick in ticks.all():
        full = tick.locator("title").text_content()
        text = tick.locator("text")
        box = text.bounding_box()
        assert svg["x"] <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"], (full, box, svg)
        assert svg["y"] <= box["y"] and box["y"] + box["height"] <= svg["y"] + svg["height"], (full, box, svg)
        shown = " ".join(t.text_content() for t in text.locator("tspan").all())
        assert shown == full, f"the axis shows {shown!r} for {full!r}"  # wrapped, not truncated
        boxes.append((full, box))
    for (a, ba), (b, bb) in zip(boxes, boxes[1:]):
        assert ba["y"] + ba["height"] <= bb["y"] + 1, f"{a!r} overlaps {b!r}"
    # every driver listed under the chart has its whole name on the axis
    listed = panel.locator("ol li").filter(has_text=re.compile(r"(raised|lowered) risk")).count()
    assert len(boxes) >= min(listed, 10), (len(boxes), listed)
    chart.scroll_into_view_if_needed()
    shot(wide, "newcomer_risk_drivers")
    assert wide.errors == []


def test_portfolio_summary_counts_what_the_table_lists(wide: Page):
    sign_in(wide, "analyst", tab="portfolio")
    panel = open_tab(wide, "Portfolio Monitor")
    table = panel.get_by_role("table", name="Monitored loans")
    expect(table.locator("tr[data-loan-id]").first).to_be_visible()
    if panel.get_by_role("button", name=re.compile(r"^Show all")).count():
        panel.get_by_role("button", name=re.compile(r"^Show all")).click()
    rows = table.locator("tr[data-loan-id]")
    loans = rows.count()
    borrowers = len({re.search(r"CUST_[A-Z]{3}_\d{5}", r.inner_text()).group(0) for r in rows.all()})
    stat = panel.get_by_role("term").filter(has_text="Loans monitored").locator("xpath=..")
    text = stat.inner_text().replace("\n", " ")
    match = re.search(r"Loans monitored (\d+) loans? of (\d+) borrowers?", text)
    assert match, text
    assert (int(match.group(1)), int(match.group(2))) == (loans, borrowers), (text, loans, borrowers)
    assert borrowers <= loans
    shot(wide, "newcomer_portfolio_summary")
    assert wide.errors == []


def ist_clock(ts: str) -> str:
    return datetime.fromisoformat(ts).astimezone(IST).strftime("%H:%M:%S")


def test_pipeline_monitor_keeps_step_statuses_and_the_log_across_jobs_in_ist(browser, server):
    # a browser set to UTC: the log must still read India Standard Time, like the header
    context = browser.new_context(base_url=server, viewport=WIDE, locale="en-IN", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, "analyst", BASELINE, "pipeline")
        page.get_by_label("Customer ID").fill(FETCHED)
        status = page.get_by_test_id("job-status")
        log = page.get_by_role("log", name="Pipeline log")

        def status_of(label: str):
            return page.locator(f"#pipeline-step-{label}-status")

        page.get_by_role("button", name="Validate Consent & Fetch Data").click()
        expect(status).to_contain_text("Validate Consent & Fetch Data")
        expect(status).to_contain_text("Done", timeout=60_000)
        expect(status_of("generate")).to_contain_text("Done")
        first_lines = log.get_by_role("listitem").all_inner_texts()
        assert first_lines

        page.get_by_role("button", name="Clean & Validate").click()
        expect(status).to_contain_text("Clean & Validate")
        expect(status).to_contain_text("Done", timeout=60_000)
        expect(status_of("clean")).to_contain_text("Done")
        expect(status_of("generate")).to_contain_text("Done")  # not reset to Idle by the next job
        expect(status_of("analyze")).to_contain_text("Idle")

        titles = log.locator(".log-job-title")
        expect(titles).to_have_count(2)
        expect(titles.nth(0)).to_contain_text(f"Validate Consent & Fetch Data for {FETCHED}")
        expect(titles.nth(1)).to_contain_text(f"Clean & Validate for {FETCHED}")  # newest at the bottom
        all_lines = log.get_by_role("listitem").all_inner_texts()
        assert all_lines[:len(first_lines)] == first_lines, "the first job's log was cleared"
        assert len(all_lines) > len(first_lines)
        expect(log.locator(".log-job").nth(1)).to_contain_text("[1/1] clean: done")

        times = log.locator("li time")
        for ts, shown in zip(times.evaluate_all("els => els.map((e) => e.getAttribute('datetime'))"),
                             times.all_inner_texts()):
            assert shown == ist_clock(ts), f"{ts} shown as {shown}, not as IST {ist_clock(ts)}"
        assert re.search(r"started \d{2}:\d{2}:\d{2} IST", titles.nth(1).inner_text())
        expect(status).to_contain_text(re.compile(r"ended \d{2} \w{3} \d{4}, \d{2}:\d{2} IST"))
        expect(page.get_by_role("tabpanel", name="Pipeline Monitor")).to_contain_text("Times in IST")
        shot(page, "newcomer_pipeline_two_jobs")

        page.reload()
        expect(page.get_by_test_id("job-status")).to_contain_text("Done")
        expect(page.get_by_role("log", name="Pipeline log").locator(".log-job-title")).to_have_count(2)
        expect(page.locator("#pipeline-step-generate-status")).to_contain_text("Done")
        shot(page, "newcomer_pipeline_after_reload")
        assert errors == []
    finally:
        context.close()
