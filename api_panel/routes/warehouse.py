"""The portfolio views over the Parquet warehouse (analysts): the list, and one view's rows.

The views read the whole book, so they need the analyst role; a scoped token's views read only the customers
of its scope. A warehouse that was never built is a 409 that
says which command builds it; an unknown view is a 404 naming the known ones.
"""
from __future__ import annotations

import orjson
from flask import Blueprint, Response

from api_panel.access import lake, scoped_customers
from api_panel.auth import require_role
from api_panel.errors import ConflictError, NotFoundError
from pipeline.warehouse.build import warehouse_manifest
from pipeline.warehouse.engine import WarehouseNotBuiltError
from pipeline.warehouse.portfolio_views import UnknownViewError, portfolio_views, run_view, view_summary

bp = Blueprint("warehouse", __name__)
NOT_BUILT = "the warehouse has not been built yet: run `python -m pipeline warehouse build`"


def _json(body: dict) -> Response:
    return Response(orjson.dumps(body), mimetype="application/json")


@bp.get("/api/portfolio/views")
@require_role("analyst")
def list_views():
    """The portfolio views (name, title, description) and when the warehouse was built (null: never)."""
    manifest = warehouse_manifest(lake()) or {}
    return _json({"views": [view_summary(v) for v in portfolio_views().values()],
                  "built_at": manifest.get("built_at")})


@bp.get("/api/portfolio/views/<name>")
@require_role("analyst")
def get_view(name: str):
    """One view computed now: ``{name, title, description, sql, columns, rows, built_at}``."""
    try:
        return _json(run_view(lake(), name, customers=scoped_customers()))
    except UnknownViewError:
        raise NotFoundError(f"unknown view {name[:60]!r}; views: {', '.join(portfolio_views())}",
                            code="unknown_view") from None
    except WarehouseNotBuiltError:
        raise ConflictError(NOT_BUILT, code="warehouse_not_built") from None
