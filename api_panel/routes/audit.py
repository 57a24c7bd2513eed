"""The audit trail (admins): who read or changed what, for which customer, under which consent."""
from flask import Blueprint, jsonify

from api_panel.access import lake, registry
from api_panel.auth import require_role
from api_panel.declare import CustomerQuery, capped, declared
from api_panel.errors import NotFoundError

bp = Blueprint("audit", __name__)


class AuditQuery(CustomerQuery):
    """The customer and how many entries to send."""

    limit: capped(1, 1000, "entries to send") = 200


@bp.get("/api/audit")
@require_role("admin")
@declared
def audit(query: AuditQuery):
    """Audit entries of one customer, newest first (limit capped at 1000)."""
    customer_id, limit = query.customer_id, query.limit
    entries = lake().read_audit(customer_id)
    if not entries and not lake().has_customer(customer_id) and not registry().list(customer_id):
        raise NotFoundError(f"customer {customer_id} not found", code="customer_not_found")
    return jsonify({"customer_id": customer_id, "total": len(entries), "entries": entries[::-1][:limit]})
