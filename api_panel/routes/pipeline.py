"""Pipeline steps an analyst can trigger: 202 with a job id, the work in the background."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from api_panel.access import LENDING_PURPOSES, audit_action, customer_id_arg, registry, require_customer
from api_panel.auth import current_principal, require_role
from api_panel.errors import NotFoundError
from api_panel.inputs import json_body
from api_panel.jobs import STEP_PLANS
from pipeline.runner import STEPS

bp = Blueprint("pipeline", __name__)


@bp.post("/api/pipeline/<step>")
@require_role("analyst")
def run_step(step: str):
    """Start ``step`` (generate, clean, analyze, calculate_score, models or run_all) for one customer."""
    if step not in STEP_PLANS:
        raise NotFoundError(f"unknown step {step!r}; steps: {', '.join(STEP_PLANS)}", code="unknown_step")
    body = json_body(required=("customer_id",))
    customer_id = customer_id_arg(body["customer_id"])
    first = STEP_PLANS[step][0]
    if first == "generate":
        if registry().list(customer_id):  # a known customer: only with a live consent
            registry().check(customer_id, LENDING_PURPOSES)
    else:
        require_customer(customer_id)
        registry().check(customer_id, LENDING_PURPOSES)
    job = current_app.extensions["jobs"].start(customer_id, step, current_principal().label, set(STEPS))
    audit_action("pipeline_" + step, customer_id, job_id=job["job_id"])
    return jsonify({"job_id": job["job_id"], "status": job["status"], "customer_id": customer_id,
                    "step": step, "steps": job["steps"]}), 202


@bp.get("/api/jobs/<job_id>")
@require_role("analyst")
def job_state(job_id: str):
    """A job's state and its last log lines (for a page reload)."""
    return jsonify(current_app.extensions["jobs"].get(job_id))
