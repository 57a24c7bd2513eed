"""A small lake for the warehouse tests, made by the real pipeline: three demo customers generated, cleaned,
analysed, scored and decided, their loans booked (the demo acceptances), the behavioural model trained and a
repayment event a month ingested for every loan (one loan bouncing from its fourth instalment), then the
warehouse built."""
from __future__ import annotations

import copy
import shutil

from monitoring.booking import accept_demo_recommendations
from monitoring.ingest import forget_monitors, monitor_for
from monitoring.loans import load_loans
from monitoring.model import ensure_behaviour_model
from pipeline.lake import Lake
from tests.monitoring.factory import repayment

CUSTOMERS = ("CUST_MSM_00002", "CUST_MSM_00003", "CUST_MSM_00006")
BOUNCING = "REC-CUST_MSM_00002-1"   # the loan whose instalments bounce from the fourth on
MONTHS = 6


def small_settings(config: dict) -> dict:
    """The project's settings with a quick behavioural model (as the erasure test trains it)."""
    settings = copy.deepcopy(config)
    model = settings["monitoring"]["model"]
    settings["monitoring"]["model"] = {**model, "training_rows": 1500,
                                       "trainer": {**model.get("trainer", {}), "cv_folds": 3}}
    return settings


def make_small_lake(demo_models_lake: Lake, root, config: dict) -> Lake:
    """Copy three customers of the scored demo lake (and its models) into ``root``; book, monitor, build."""
    lake = Lake(root)
    for layer in demo_models_lake.DATA_LAYERS:
        for customer_id in CUSTOMERS:
            source = demo_models_lake.customer_dir(layer, customer_id)
            if source.is_dir():
                shutil.copytree(source, lake.customer_dir(layer, customer_id))
    shutil.copytree(demo_models_lake.models_dir, lake.models_dir)
    settings = small_settings(config)
    accept_demo_recommendations(lake, settings)
    loans = load_loans(lake, config=settings)
    ensure_behaviour_model(lake, settings)
    monitor = monitor_for(lake, settings)
    for k in range(MONTHS):   # one ingest a month: a risk-history line per loan per month
        events = [repayment(loan, k, status="BOUNCED" if loan["loan_id"] == BOUNCING and k >= 3 else "PAID")
                  for loan in loans if k < len(loan["schedule"])]
        assert monitor.ingest(events)["accepted"] == len(events)
    forget_monitors()
    return lake
