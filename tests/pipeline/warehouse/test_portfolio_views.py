"""The portfolio views computed over the warehouse of the small lake, checked against the lake's own files."""
from pipeline.warehouse.engine import run_query
from pipeline.warehouse.portfolio_views import portfolio_views, run_view
from tests.warehouse_fixture import BOUNCING, CUSTOMERS, MONTHS

VIEWS = {"approval_mix_by_month", "pd_by_segment", "vintage_curves", "roll_rates", "sector_concentration"}


def rows_of(result: dict) -> list[dict]:
    return [dict(zip(result["columns"], row)) for row in result["rows"]]


def test_every_view_is_documented_and_runs(lake):
    assert set(portfolio_views()) == VIEWS
    for name, view in portfolio_views().items():
        assert view.title and len(view.description) > 40 and view.sql.upper().lstrip().startswith(("SELECT", "WITH"))
        result = run_view(lake, name)
        assert set(result) == {"name", "title", "description", "sql", "columns", "rows", "built_at"}
        assert result["built_at"] and result["columns"]


def test_approval_mix_counts_every_decision(lake):
    decisions = [lake.read_json(lake.analytics_path(c, "decision")) for c in CUSTOMERS]
    (month,) = rows_of(run_view(lake, "approval_mix_by_month"))
    assert month["month"] == decisions[0]["as_of"][:7] and month["decisions"] == 3
    approved = sum(d["decision"].startswith("APPROVE") for d in decisions)
    assert month["approved"] == approved and month["declined"] == sum(d["decision"] == "DECLINE" for d in decisions)
    assert month["approval_rate"] == round(approved / 3, 4)


def test_pd_by_segment_averages_the_customers_pd(lake):
    pds = {c: lake.read_json(lake.analytics_path(c, "risk_model"))["metrics"]["probability_of_default"]["value"]
           for c in CUSTOMERS}
    rows = rows_of(run_view(lake, "pd_by_segment"))
    assert {r["segment_type"] for r in rows} == {"sector", "profile", "size_band"}
    for kind in ("sector", "profile", "size_band"):
        mine = [r for r in rows if r["segment_type"] == kind]
        assert sum(r["customers"] for r in mine) == 3
        assert abs(sum(r["avg_pd"] * r["customers"] for r in mine) - sum(pds.values())) < 1e-3


def test_vintage_curves_and_roll_rates_see_the_bouncing_loan(lake):
    (cohort,) = run_query(lake, f"SELECT strftime(disbursal_date, '%Y-%m') FROM loans WHERE loan_id = '{BOUNCING}'").rows[0]
    curve = [r for r in rows_of(run_view(lake, "vintage_curves")) if r["cohort"] == cohort]
    assert curve and curve[-1]["ever_30_plus"] >= 1 and curve[-1]["cum_30_plus_rate"] > 0
    rates = [r["cum_30_plus_rate"] for r in curve]
    assert rates == sorted(rates)   # cumulative: never goes down
    rolls = rows_of(run_view(lake, "roll_rates"))
    assert sum(r["loans"] for r in rolls if r["from_bucket"] == "0 current") >= len(CUSTOMERS) * (MONTHS - 2)
    assert any(r["from_bucket"] == "0 current" and r["to_bucket"] != "0 current" for r in rolls)
    for bucket in {r["from_bucket"] for r in rolls}:
        assert abs(sum(r["share"] for r in rolls if r["from_bucket"] == bucket) - 1) < 1e-3


def test_sector_concentration_shares_add_up_and_hhi_follows(lake):
    rows = rows_of(run_view(lake, "sector_concentration"))
    open_principal = run_query(lake, "SELECT sum(principal) FROM loans WHERE status <> 'CLOSED'").rows[0][0]
    assert abs(sum(r["exposure_inr"] for r in rows) - open_principal) < 1
    assert abs(sum(r["exposure_share"] for r in rows) - 1) < 1e-3
    assert abs(rows[0]["hhi"] - sum((r["exposure_share"] * 100) ** 2 for r in rows)) < 5
