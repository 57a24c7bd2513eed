"""Shared fixtures: a temporary lake with the demo customers generated and cleaned once per session."""
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.runner import run_steps

AS_OF = date(2026, 11, 1)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def config():
    """The project's config.json, as the CLI reads it."""
    return load_config()


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory, config):
    """A lake holding the ten demo customers after generate, clean and analyze, with a fixed as-of month."""
    lake = Lake(tmp_path_factory.mktemp("demo_lake"))
    for customer_id, profile in config["demo_customers"].items():
        outcome = run_steps(lake, customer_id, ["generate", "clean", "analyze"], config, lambda level, msg: None,
                            {"generate": {"profile": profile, "as_of": AS_OF}})
        assert outcome["status"] == "done", outcome
    return lake


@pytest.fixture(scope="session")
def small_risk_model(tmp_path_factory, config):
    """A risk model trained once on a small synthetic portfolio (the same code path as the demo model).

    Returns a function that installs it into a lake, so tests of the score/models steps and of the API do
    not each train the 300-customer demo model.
    """
    import shutil

    from analytics.risk.model import save_risk_model, train_portfolio_model

    source = Lake(tmp_path_factory.mktemp("small_model"))
    bundle, _card = train_portfolio_model(80, config)
    save_risk_model(source, bundle, config)

    def install(lake: Lake) -> Lake:
        shutil.copytree(source.models_dir, lake.models_dir, dirs_exist_ok=True)
        return lake

    return install


@pytest.fixture(scope="session")
def demo_models_lake(tmp_path_factory, demo_lake, small_risk_model, config):
    """The demo lake after score and models too (the small risk model): risk, offers and decisions for all ten."""
    import shutil

    lake = Lake(tmp_path_factory.mktemp("demo_models_lake") / "lake")
    shutil.copytree(demo_lake.root, lake.root)
    small_risk_model(lake)
    for customer_id in config["demo_customers"]:
        outcome = run_steps(lake, customer_id, ["score", "models"], config, lambda level, msg: None)
        assert outcome["status"] == "done", outcome
    return lake


@pytest.fixture(scope="session")
def warehouse_lake(tmp_path_factory, demo_models_lake, config):
    """Three demo customers with loans, monthly repayment events and risk history, and the warehouse built
    (tests/warehouse_fixture.py); tests copy it before changing it."""
    from pipeline.warehouse.build import build_warehouse
    from tests.warehouse_fixture import make_small_lake

    lake = make_small_lake(demo_models_lake, tmp_path_factory.mktemp("warehouse") / "lake", config)
    build_warehouse(lake)
    return lake
