"""The portfolio views: SQL over the warehouse, one file each in ``pipeline/warehouse/views/<name>.sql``.

A file starts with two comment lines, the title and the description, then one SELECT. Column names carry their
unit for whoever shows them: ``*_inr`` rupees, ``*_rate``, ``*_share`` and ``*pd`` ratios (0-1), ``hhi`` an
index 0-10,000, the rest counts or labels.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.lake import Lake
from pipeline.warehouse.build import warehouse_manifest
from pipeline.warehouse.engine import WarehouseNotBuiltError, run_query

VIEWS_DIR = Path(__file__).resolve().parent / "views"


class UnknownViewError(KeyError):
    """A view name that is not one of the portfolio views."""


@dataclass(frozen=True)
class PortfolioView:
    """One view: its name (the file's), title, description and SQL."""

    name: str
    title: str
    description: str
    sql: str


def _parse(path: Path) -> PortfolioView:
    lines = path.read_text(encoding="utf-8").splitlines()
    title, description = (line.removeprefix("--").strip() for line in lines[:2])
    return PortfolioView(path.stem, title, description, "\n".join(lines[2:]).strip())


@cache
def portfolio_views() -> dict[str, PortfolioView]:
    """Every view by name, in name order."""
    return {path.stem: _parse(path) for path in sorted(VIEWS_DIR.glob("*.sql"))}


def view_summary(view: PortfolioView) -> dict[str, str]:
    """What the list of views shows of one: name, title and description."""
    return {"name": view.name, "title": view.title, "description": view.description}


def run_view(lake: Lake, name: str, customers: Collection[str] | None = None) -> dict[str, Any]:
    """``{name, title, description, sql, columns, rows, built_at}`` of one view over the lake's warehouse (over
    ``customers`` only when given: a scoped caller sees its share of the book)."""
    view = portfolio_views().get(name)
    if view is None:
        raise UnknownViewError(name)
    manifest = warehouse_manifest(lake)
    if manifest is None:
        raise WarehouseNotBuiltError("the warehouse has not been built: run `python -m pipeline warehouse build`")
    result = run_query(lake, view.sql, customers=customers)
    return {**view_summary(view), "sql": view.sql, "columns": result.columns, "rows": result.rows,
            "built_at": manifest.get("built_at")}
