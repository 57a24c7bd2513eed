"""The server's refresh schedule: off by default in tests; turned on with a tiny interval it runs the command."""
from datetime import date

from api_panel import create_app
from api_panel.insights import InsightSettings
from pipeline.lake import Lake
from pipeline.runner import run_steps

EXPIRED = "CUST_SCH_00001"


def _app(lake: Lake, **extra):
    return create_app({"TESTING": True, "LAKE_ROOT": str(lake.root), "INSIGHT_SETTINGS": InsightSettings(), **extra})


def test_schedule_is_off_unless_a_test_turns_it_on(tmp_path):
    app = _app(Lake(tmp_path / "lake"))
    assert app.extensions["refresh_schedule"] is None


def test_scheduled_refresh_runs_the_command_and_erases_expired_data(tmp_path, config):
    lake = Lake(tmp_path / "lake")
    two_years_ago = date(date.today().year - 2, date.today().month, 1)  # its consent and DataLife have run out
    outcome = run_steps(lake, EXPIRED, ["generate"], config, lambda *_: None,
                        {"generate": {"profile": "customer_concentration", "as_of": two_years_ago}})
    assert outcome["status"] == "done" and lake.has_customer(EXPIRED)

    app = _app(lake, REFRESH={"enabled": True, "interval_minutes": 0.001})
    schedule = app.extensions["refresh_schedule"]
    try:
        assert schedule.ran.wait(120), "the scheduled refresh did not run"
    finally:
        schedule.stop()
    assert schedule.command()[-4:] == ["refresh", "--json", "--lake", str(lake.root)]
    last = schedule.last
    assert last["returncode"] == 0 and last["summary"]["erased"] == 1
    assert [(row["customer_id"], row["outcome"]) for row in last["customers"]] == [(EXPIRED, "erased")]
    assert not lake.has_customer(EXPIRED)
    assert [e["action"] for e in lake.read_audit(EXPIRED)] == ["erase"]
