"""Each test gets its own copy of the session's small warehouse lake (tests/conftest.py ``warehouse_lake``)."""
import shutil

import pytest

from pipeline.lake import Lake


@pytest.fixture()
def lake(warehouse_lake, tmp_path):
    shutil.copytree(warehouse_lake.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")
