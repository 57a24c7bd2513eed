"""The customer list: ids, names and statuses only (never the synthetic profile that generated a customer)."""
from flask import Blueprint, jsonify

from api_panel.access import lake, registry, visible_customers
from api_panel.auth import require_role
from pipeline.customers import customer_summary

bp = Blueprint("customers", __name__)


@bp.get("/api/customers")
@require_role("officer")
def list_customers():
    """Every customer in the lake (or with a consent on record) inside the caller's scope, with name, consent
    status and last run."""
    ids = visible_customers(sorted(set(lake().customers()) | set(registry().customers())))
    rows = []
    for customer_id in ids:
        summary = customer_summary(lake(), customer_id)
        consents = registry().list(customer_id)
        rows.append({"customer_id": customer_id, "name": summary["name"],
                     "consent_status": consents[-1]["effectiveStatus"] if consents else None,
                     "last_run": summary["last_run"], "has_data": lake().has_customer(customer_id)})
    return jsonify({"customers": rows, "count": len(rows)})
