"""Raw, clean and quarantine records of a source, paged — for analysts checking the cleaning."""
from __future__ import annotations

import orjson
from flask import Blueprint, Response

from api_panel.access import authorize_read, customer_id_arg, lake
from api_panel.auth import require_role
from api_panel.errors import NotFoundError
from api_panel.inputs import int_arg
from pipeline.consents import SOURCE_FI_TYPES
from pipeline.lake import SOURCES

bp = Blueprint("datasets", __name__)
LAYERS = ("raw", "clean", "quarantine")
MAX_LIMIT = 500


@bp.get("/api/datasets/<layer>/<source>")
@require_role("analyst")
def dataset(layer: str, source: str):
    """A page of records (limit capped at 500); raw lines that are not JSON are returned as text."""
    if layer not in LAYERS:
        raise NotFoundError(f"unknown layer {layer!r}; layers: {', '.join(LAYERS)}", code="unknown_layer")
    if source not in SOURCES:
        raise NotFoundError(f"unknown source {source!r}; sources: {', '.join(SOURCES)}", code="unknown_source")
    customer_id = customer_id_arg()
    limit = int_arg("limit", 50, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0, 100_000_000)
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
