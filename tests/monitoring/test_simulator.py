"""The repayment simulator on its own: behaviour by profile, determinism, pacing (on a virtual clock)."""
from collections import Counter
from datetime import date

import pytest

from generators.repayments import (BEHAVIOURS, STATUSES, SimulatorError, behaviour_for, emit, make_target,
                                   simulate_book, simulate_loan)
from monitoring.events import event_reasons


def make_loan(loan_id: str, customer_id: str, n: int = 24, amount: float = 25_000.0, status: str = "ACTIVE") -> dict:
    """A loan record shaped like ``monitoring.loans.load_loans`` returns, with a monthly schedule."""
    schedule = [{"due_date": date(2025 + (m // 12), m % 12 + 1, 5).isoformat(), "amount": amount} for m in range(n)]
    return {"loan_id": loan_id, "customer_id": customer_id, "principal": amount * n * 0.85, "rate": 0.16,
            "tenure_months": n, "emi": amount, "schedule": schedule, "status": status}


def events_for(profile: str, loans: int = 30, seed: int = 0) -> list[dict]:
    book = [make_loan(f"LN_{profile[:4].upper()}_{i:03d}", f"CUST_SIM_{i:05d}") for i in range(loans)]
    return simulate_book(book, {loan["customer_id"]: profile for loan in book}, seed)


def shares(events: list[dict]) -> dict[str, float]:
    counts = Counter(e["status"] for e in events)
    return {s: counts[s] / len(events) for s in STATUSES}


def test_stable_income_pays_on_time():
    events = events_for("stable_income")
    assert shares(events)["PAID"] >= 0.95
    assert not [e for e in events if e["status"] in ("BOUNCED", "PARTIAL")]
    for e in events:
        if e["status"] == "PAID":
            assert e["paid_at"][:10] == e["due_date"] and e["amount_paid"] == e["amount_due"]


@pytest.mark.parametrize("profile", ["declining", "high_debt"])
def test_declining_and_high_debt_start_paying_late_partly_and_bounce(profile):
    events = events_for(profile)
    share = shares(events)
    assert share["PAID"] < 0.6
    assert share["LATE"] > 0.1 and share["PARTIAL"] > 0.05 and share["BOUNCED"] > 0.05
    healthy = BEHAVIOURS[profile].healthy_instalments

    def trouble(first_dues: bool) -> float:
        dues = sorted({e["due_date"] for e in events})
        window = set(dues[:healthy]) if first_dues else set(dues[-12:])
        picked = [e for e in events if e["due_date"] in window]
        return sum(e["status"] != "PAID" for e in picked) / len(picked)

    assert trouble(first_dues=True) < 0.2 < trouble(first_dues=False)  # good at first, then trouble


@pytest.mark.parametrize("profile", ["declining", "high_debt", "fraud"])
def test_trouble_is_worse_than_stable_income(profile):
    assert shares(events_for(profile))["PAID"] < shares(events_for("stable_income"))["PAID"] - 0.3


def test_fraud_is_erratic():
    events = events_for("fraud")
    assert set(shares(events)) == set(STATUSES) and all(v > 0.05 for v in shares(events).values())
    delays = {(date.fromisoformat(e["paid_at"][:10]) - date.fromisoformat(e["due_date"])).days
              for e in events if e["status"] == "LATE"}
    assert max(delays) > 30 and min(delays) < 10


def test_event_shapes_and_amounts():
    events = events_for("declining") + events_for("fraud") + events_for("baseline")
    required = {"event_id", "loan_id", "customer_id", "due_date", "amount_due", "paid_at", "amount_paid", "status",
                "channel", "ts"}
    paid: dict[tuple, float] = {}
    for e in events:
        assert set(e) == required
        assert e["ts"].endswith("+05:30")
        assert event_reasons(e) == [], e  # valid against schemas/repayment_events.schema.json and its rules
        if e["status"] == "BOUNCED":
            assert e["paid_at"] is None and e["amount_paid"] == 0
        elif e["status"] == "PARTIAL":
            assert 0 < e["amount_paid"] < e["amount_due"]
        if e["status"] == "LATE":
            assert e["paid_at"][:10] > e["due_date"]
        key = (e["loan_id"], e["due_date"])
        paid[key] = round(paid.get(key, 0.0) + e["amount_paid"], 2)
        if e["status"] in ("PAID", "LATE"):  # paid in full, the rest of a part payment included
            assert paid[key] == e["amount_due"]
    assert len({e["event_id"] for e in events}) == len(events)


def test_the_rest_of_a_part_payment_usually_follows():
    events = events_for("declining")
    groups: dict[tuple, list[str]] = {}
    for e in events:
        groups.setdefault((e["loan_id"], e["due_date"]), []).append(e["status"])
    partials = [g for g in groups.values() if g[0] == "PARTIAL"]
    assert partials and all(g in (["PARTIAL"], ["PARTIAL", "LATE"]) for g in partials)
    assert ["PARTIAL", "LATE"] in partials and ["PARTIAL"] in partials


def test_a_bounce_is_presented_again():
    events = events_for("high_debt")
    by_instalment = {}
    for e in events:
        by_instalment.setdefault((e["loan_id"], e["due_date"]), []).append(e)
    bounced = [group for group in by_instalment.values() if group[0]["status"] == "BOUNCED"]
    assert bounced and all(len(group) == 2 and group[1]["ts"] > group[0]["ts"] for group in bounced)
    assert {group[1]["status"] for group in bounced} == {"LATE", "BOUNCED"}


def test_deterministic_by_loan_and_seed():
    loan = make_loan("LN_DET_001", "CUST_SIM_00001")
    first = simulate_loan(loan, behaviour_for("declining"), seed=7)
    assert first == simulate_loan(loan, behaviour_for("declining"), seed=7)
    assert first != simulate_loan(loan, behaviour_for("declining"), seed=8)
    # a loan's events do not depend on which other loans are simulated with it
    other = make_loan("LN_DET_002", "CUST_SIM_00002")
    together = simulate_book([other, loan], {"CUST_SIM_00001": "declining", "CUST_SIM_00002": "fraud"}, seed=7)
    assert [e for e in together if e["loan_id"] == "LN_DET_001"] == first


def test_book_is_in_time_order_and_skips_closed_loans():
    book = [make_loan("LN_A", "CUST_SIM_00001"), make_loan("LN_B", "CUST_SIM_00002", status="CLOSED")]
    events = simulate_book(book, {}, seed=0)
    assert {e["loan_id"] for e in events} == {"LN_A"}
    assert [e["ts"] for e in events] == sorted(e["ts"] for e in events)
    assert behaviour_for(None) is behaviour_for("no_such_profile") is BEHAVIOURS["baseline"]


class VirtualClock:
    """A clock that only moves when the code under test sleeps, so pacing is checked without waiting."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


def test_emit_paces_batches_at_the_rate():
    clock, batches = VirtualClock(), []
    sent = emit(({"n": i} for i in range(10_000)), lambda b: batches.append((clock.now, len(b))), rate=200,
                duration=3, clock=clock, sleep=clock.sleep)
    assert sent == 600 and sum(n for _, n in batches) == 600
    assert {n for _, n in batches} == {20}  # a tenth of a second's worth per batch
    for i, (at, _) in enumerate(batches):  # batch i leaves no earlier than i * 20 / 200 s after the start
        assert at >= 100.0 + i * 0.1 - 1e-9


def test_emit_stops_when_the_schedules_run_out_and_caps_http_batches():
    clock, sizes = VirtualClock(), []
    assert emit([{"n": i} for i in range(25)], lambda b: sizes.append(len(b)), rate=5, duration=60,
                clock=clock, sleep=clock.sleep) == 25
    assert emit(({"n": i} for i in range(50_000)), lambda b: sizes.append(len(b)), rate=20_000, duration=2,
                clock=clock, sleep=clock.sleep) == 40_000
    assert max(sizes) == 1000
    with pytest.raises(ValueError):
        emit([], lambda b: None, rate=0, duration=1)


def test_unknown_target_is_refused():
    with pytest.raises(SimulatorError, match="unknown target"):
        make_target("ftp://example", None, "repayments")
