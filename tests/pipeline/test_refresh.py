"""Refresh: the pure planner on hand-built consent and run states, then the command end to end on a temporary lake."""
import json
from datetime import date, datetime, timedelta

import pytest

from pipeline.cli import main
from pipeline.consents import IST, ConsentRegistry, build_consent
from pipeline.lake import Lake
from pipeline.refresh import ERASE, NEEDS_FETCH, NOTHING, REFRESH, next_fetch_at, plan_refresh
from pipeline.runner import STEPS, run_steps
from pipeline.stages import StageError

START = datetime(2026, 1, 10, 10, 0, tzinfo=IST)
CID = "CUST_REF_00001"


def periodic(**request):
    """A PERIODIC monitoring consent (purpose 104, Frequency 1/MONTH, DataLife 1 YEAR) approved at START."""
    return build_consent(CID, {"purpose": "104", **request}, now=START)


def state(days_ago: float | None, now: datetime, origin: str = "synthetic", has_data: bool = True) -> dict:
    fetched = None if days_ago is None else (now - timedelta(days=days_ago)).isoformat()
    return {"fetched_at": fetched, "has_data": has_data, "origin": origin}


def plan_one(artefacts, data, now):
    (action,) = plan_refresh({CID: artefacts}, {CID: data}, now)
    return action


def test_data_life_run_out_erases_the_data():
    consent = periodic(DataLife={"unit": "DAY", "value": 30})
    now = START + timedelta(days=31)
    action = plan_one([consent], state(5, now), now)
    assert action["action"] == ERASE and "EXPIRED" in action["reason"]
    assert action["consent_id"] == consent["consentId"]


def test_data_life_not_yet_run_out_keeps_the_data():
    consent = periodic(DataLife={"unit": "DAY", "value": 30})
    now = START + timedelta(days=29)
    assert plan_one([consent], state(5, now), now)["action"] == NOTHING


def test_revoked_consent_erases_but_nothing_to_erase_is_no_action():
    consent = {**periodic(), "status": "REVOKED"}
    now = START + timedelta(days=3)
    assert plan_one([consent], state(1, now), now)["action"] == ERASE
    quiet = plan_one([consent], state(None, now, has_data=False), now)
    assert quiet["action"] == NOTHING and "no data held" in quiet["reason"]


def test_periodic_consent_due_refreshes():
    now = START + timedelta(days=60)
    action = plan_one([periodic()], state(40, now), now)
    assert action["action"] == REFRESH and "1/MONTH" in action["reason"]
    assert datetime.fromisoformat(action["due_at"]) <= now


def test_frequency_not_yet_elapsed_does_nothing():
    now = START + timedelta(days=60)
    action = plan_one([periodic()], state(10, now), now)
    assert action["action"] == NOTHING and "allows the next fetch from" in action["reason"]
    assert datetime.fromisoformat(action["due_at"]) > now


def test_onetime_consent_never_refreshes():
    onetime = build_consent(CID, {"purpose": "105"}, now=START)
    assert onetime["fetchType"] == "ONETIME"
    now = START + timedelta(days=200)
    action = plan_one([onetime], state(190, now), now)
    assert action["action"] == NOTHING and "ONETIME" in action["reason"]


def test_paused_consent_keeps_the_data_without_fetching():
    now = START + timedelta(days=60)
    action = plan_one([{**periodic(), "status": "PAUSED"}], state(40, now), now)
    assert action["action"] == NOTHING and "PAUSED" in action["reason"]


def test_imported_customer_due_needs_a_new_aa_fetch():
    now = START + timedelta(days=60)
    action = plan_one([periodic()], state(40, now, origin="imported"), now)
    assert action["action"] == NEEDS_FETCH and "needs a new AA fetch" in action["reason"]


def test_a_revoked_old_consent_does_not_erase_while_a_new_one_lives():
    now = START + timedelta(days=60)
    old = {**periodic(), "status": "REVOKED"}
    assert plan_one([old, periodic()], state(40, now), now)["action"] == REFRESH


def test_no_data_held_is_not_fetched_automatically():
    now = START + timedelta(days=60)
    action = plan_one([periodic()], state(None, now, has_data=False), now)
    assert action["action"] == NOTHING and "not fetched automatically" in action["reason"]


def test_unknown_age_with_data_is_due_and_infinite_frequency_is_not():
    now = START + timedelta(days=2)
    assert plan_one([periodic()], state(None, now), now)["action"] == REFRESH
    inf = periodic(Frequency={"unit": "INF", "value": 1})
    for age in (40, None):
        action = plan_one([inf], state(age, now), now)
        assert action["action"] == NOTHING and "INF" in action["reason"]


@pytest.mark.parametrize("frequency, last, expected", [
    ({"unit": "MONTH", "value": 1}, datetime(2026, 1, 31, 9, tzinfo=IST), datetime(2026, 2, 28, 9, tzinfo=IST)),
    ({"unit": "DAY", "value": 2}, datetime(2026, 3, 1, 0, tzinfo=IST), datetime(2026, 3, 1, 12, tzinfo=IST)),
    ({"unit": "YEAR", "value": 1}, datetime(2028, 2, 29, 0, tzinfo=IST), datetime(2029, 2, 28, 0, tzinfo=IST)),
    ({"unit": "HOUR", "value": 4}, datetime(2026, 3, 1, 0, tzinfo=IST), datetime(2026, 3, 1, 0, 15, tzinfo=IST)),
])
def test_frequency_is_at_most_value_fetches_per_unit(frequency, last, expected):
    assert next_fetch_at(last, frequency) == expected


def test_plan_covers_every_registry_customer_in_order():
    now = START + timedelta(days=60)
    registry = {"CUST_REF_00002": [periodic()], "CUST_REF_00001": [periodic()], "CUST_REF_00003": []}
    runs = {"CUST_REF_00001": state(40, now), "CUST_REF_00002": state(3, now)}
    assert [(a["customer_id"], a["action"]) for a in plan_refresh(registry, runs, now)] == [
        ("CUST_REF_00001", REFRESH), ("CUST_REF_00002", NOTHING)]


# ---- the command end to end ---------------------------------------------------------------------------------------

DUE, EXPIRED, ONETIME, IMPORTED, FAILING = (f"CUST_REF_{n:05d}" for n in range(11, 16))


def _age_run_log(lake: Lake, customer_id: str, days: int) -> None:
    """Pretend the customer's last runs happened ``days`` ago (a lake that has not been refreshed for a while)."""
    old = (datetime.now(IST) - timedelta(days=days)).isoformat(timespec="seconds")
    runs = [{**run, "ts": old} for run in lake.read_ndjson(lake.run_log_path(customer_id))]
    lake.write_ndjson(lake.run_log_path(customer_id), runs)


@pytest.fixture()
def refresh_lake(tmp_path, config, small_risk_model):
    lake = small_risk_model(Lake(tmp_path / "lake"))
    this_month = date.today().replace(day=1)
    months_ago = (this_month - timedelta(days=40)).replace(day=1)
    plan = {DUE: months_ago, EXPIRED: date(this_month.year - 2, this_month.month, 1), ONETIME: months_ago,
            IMPORTED: months_ago, FAILING: months_ago}
    for customer_id, as_of in plan.items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze"], config, lambda *_: None,
                            {"generate": {"profile": "customer_concentration", "as_of": as_of}})
        assert outcome["status"] == "done", outcome
        _age_run_log(lake, customer_id, 45)
    lake.write_json(lake.consent_registry_path(ONETIME), [build_consent(ONETIME, {"purpose": "105"})])
    meta = lake.read_json(lake.customer_meta_path(IMPORTED))
    lake.write_json(lake.customer_meta_path(IMPORTED), {**meta, "profile": "imported", "source": "aa_import"})
    return lake


def _run(capsys, *args) -> tuple[int, dict]:
    status = main(["refresh", *args])
    return status, json.loads(capsys.readouterr().out)


def test_refresh_command_end_to_end(refresh_lake, capsys, monkeypatch):
    lake = refresh_lake
    status, plan = _run(capsys, "--dry-run", "--json", "--lake", str(lake.root))
    outcomes = {row["customer_id"]: (row["action"], row["outcome"]) for row in plan["customers"]}
    assert status == 0 and outcomes == {
        DUE: (REFRESH, "planned"), EXPIRED: (ERASE, "planned"), ONETIME: (NOTHING, "unchanged"),
        IMPORTED: (NEEDS_FETCH, "needs_fetch"), FAILING: (REFRESH, "planned")}
    assert lake.has_customer(EXPIRED) and lake.read_audit() == []  # a dry run changes nothing

    original_models = STEPS["models"]

    def models_failing_for_one(lake_, customer_id, *args, **kwargs):
        if customer_id == FAILING:
            raise StageError("simulated failure")
        return original_models(lake_, customer_id, *args, **kwargs)

    monkeypatch.setitem(STEPS, "models", models_failing_for_one)
    status, report = _run(capsys, "--json", "--lake", str(lake.root))
    rows = {row["customer_id"]: row for row in report["customers"]}
    assert status == 1 and report["summary"]["failed"] == 1 and report["summary"]["refreshed"] == 1
    assert rows[FAILING]["outcome"] == "failed" and "simulated failure" in rows[FAILING]["error"]

    # the due customer was regenerated as of this month and went through every step, the run recorded
    assert rows[DUE]["outcome"] == "refreshed"
    assert lake.read_json(lake.customer_meta_path(DUE))["as_of"][:7] == f"{date.today():%Y-%m}"
    last = lake.read_ndjson(lake.run_log_path(DUE))[-1]
    assert last["status"] == "done" and last["steps"] == ["generate", "clean", "analyze", "score", "models"]
    assert lake.analytics_path(DUE, "risk_model").exists()

    # the expired customer is gone from every layer; the consent registry keeps the evidence
    assert rows[EXPIRED]["outcome"] == "erased" and not lake.has_customer(EXPIRED)
    assert ConsentRegistry(lake).list(EXPIRED)[-1]["effectiveStatus"] == "EXPIRED"
    assert rows[IMPORTED]["outcome"] == "needs_fetch" and rows[ONETIME]["outcome"] == "unchanged"
    assert lake.read_json(lake.customer_meta_path(IMPORTED))["profile"] == "imported"  # never regenerated

    audit = {(e["customer_id"], e["action"]): e for e in lake.read_audit()}
    assert audit[(EXPIRED, "erase")]["actor"] == "refresh"
    assert audit[(DUE, "refresh")]["status"] == "done"
    assert audit[(FAILING, "refresh")]["status"] == "error"
    assert {key[1] for key in audit} == {"erase", "refresh"}

    # just refreshed: the next run finds nothing due for it
    status, again = _run(capsys, "--dry-run", "--json", "--lake", str(lake.root))
    assert {r["customer_id"]: r["action"] for r in again["customers"]}[DUE] == NOTHING


def test_refresh_command_prints_one_line_per_customer(refresh_lake, capsys):
    assert main(["refresh", "--dry-run", "--lake", str(refresh_lake.root)]) == 0
    out = capsys.readouterr().out
    assert f"{DUE}: would refresh" in out and f"{EXPIRED}: would erase" in out
    assert f"{IMPORTED}: needs a new AA fetch" in out and f"{ONETIME}: nothing to do" in out
    assert "refresh planned for 5 customer(s)" in out
