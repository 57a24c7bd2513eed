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
