"""The demo stamp: what a prepared demo customer was built from, and when it may be reused."""
from datetime import date

from pipeline.demo_stamp import code_digest, demo_stamp, forget_stamp, stamp_matches, write_stamp
from pipeline.lake import Lake

CONFIG = {"version": "1", "lake_root": "/somewhere", "generator": {"history_months": 36}}


def test_the_stamp_changes_with_each_input_but_not_the_lake_location(tmp_path):
    stamp = demo_stamp("abc", CONFIG, "baseline", date(2026, 11, 1))
    assert stamp == demo_stamp("abc", {**CONFIG, "lake_root": "/elsewhere"}, "baseline", date(2026, 11, 20))
    for other in (demo_stamp("abd", CONFIG, "baseline", date(2026, 11, 1)),
                  demo_stamp("abc", {**CONFIG, "generator": {"history_months": 24}}, "baseline", date(2026, 11, 1)),
                  demo_stamp("abc", CONFIG, "fraud", date(2026, 11, 1)),
                  demo_stamp("abc", CONFIG, "baseline", date(2026, 12, 1))):
        assert other != stamp


def test_the_code_digest_follows_file_contents(tmp_path):
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "a.py").write_text("x = 1\n")
    before = code_digest(tmp_path)
    (tmp_path / "pipeline" / "__pycache__").mkdir()
    (tmp_path / "pipeline" / "__pycache__" / "a.json").write_text("{}")
    assert code_digest(tmp_path) == before
    (tmp_path / "pipeline" / "a.py").write_text("x = 2\n")
    assert code_digest(tmp_path) != before


def test_a_stamp_matches_only_with_the_analytics_there_and_until_forgotten(tmp_path):
    lake, customer = Lake(tmp_path), "CUST_MSM_00001"
    stamp = demo_stamp("abc", CONFIG, "baseline", date(2026, 11, 1))
    write_stamp(lake, customer, stamp)
    assert not stamp_matches(lake, customer, stamp)   # no analytics: not a prepared customer
    lake.write_json(lake.analytics_path(customer, "overall_summary"), {})
    assert stamp_matches(lake, customer, stamp)
    assert not stamp_matches(lake, customer, {**stamp, "as_of": "2026-12"})
    forget_stamp(lake, customer)
    assert not stamp_matches(lake, customer, stamp)
