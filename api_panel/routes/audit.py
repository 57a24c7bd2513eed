"""The audit trail (admins): who read or changed what, for which customer, under which consent."""
from flask import Blueprint, jsonify

from api_panel.access import customer_id_arg, lake, registry
from api_panel.auth import require_role
from api_panel.errors import NotFoundError
from api_panel.inputs import int_arg

bp = Blueprint("audit", __name__)


@bp.get("/api/audit")
@require_role("admin")
def audit():
    """Audit entries of one customer, newest first (limit capped at 1000)."""
    customer_id = customer_id_arg()
    limit = int_arg("limit", 200, 1, 1000)
    entries = lake().read_audit(customer_id)
    if not entries and not lake().has_customer(customer_id) and not registry().list(customer_id):
        raise NotFoundError(f"customer {customer_id} not found", code="customer_not_found")
    return jsonify({"customer_id": customer_id, "total": len(entries), "entries": entries[::-1][:limit]})
