"""Raw, clean and quarantine records of a source, paged — for analysts checking the cleaning."""
from __future__ import annotations

from typing import Literal

import orjson
from flask import Blueprint, Response

from api_panel.access import authorize_read, lake
from api_panel.auth import require_role
from api_panel.declare import CustomerQuery, capped, declared
from pipeline.consents import SOURCE_FI_TYPES
from pipeline.lake import SOURCES

bp = Blueprint("datasets", __name__)
LAYERS = ("raw", "clean", "quarantine")
MAX_LIMIT = 500


class DatasetPage(CustomerQuery):
    """The customer and which page of records."""

    limit: capped(1, MAX_LIMIT, "page size") = 50
    offset: capped(0, 100_000_000, "records to skip") = 0


@bp.get("/api/datasets/<layer>/<source>")
@require_role("analyst")
@declared
def dataset(layer: Literal[LAYERS], source: Literal[SOURCES], query: DatasetPage):
    """A page of records (limit capped at 500); raw lines that are not JSON are returned as text."""
    customer_id, limit, offset = query.customer_id, query.limit, query.offset
    authorize_read(customer_id, f"dataset:{layer}/{source}", (SOURCE_FI_TYPES[source],))
    path = lake().layer_path(layer, customer_id, source)
    lines = lake().read_lines(path) if path.exists() else []
    items = []
    for line in lines[offset:offset + limit]:
        try:
            items.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            items.append({"_unparseable": line.decode("utf-8", errors="replace")})
    return Response(orjson.dumps({"customer_id": customer_id, "layer": layer, "source": source, "total": len(lines),
                                  "limit": limit, "offset": offset, "items": items}), mimetype="application/json")
