"""Pipeline steps an analyst can trigger: 202 with a job id, the work in the background."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from api_panel.access import (LENDING_PURPOSES, audit_action, customer_id_arg, lake, registry, require_customer,
                              require_in_scope, visible_customers)
from api_panel.auth import current_principal, require_role
from api_panel.errors import APIError, NotFoundError, OutOfScopeError
from api_panel.inputs import json_body
from api_panel.jobs import STEP_PLANS
from pipeline.consents import ConsentError
from pipeline.lake import InvalidCustomerIdError, validate_customer_id
from pipeline.runner import STEPS

bp = Blueprint("pipeline", __name__)
MAX_BATCH_CUSTOMERS = 10_000
MAX_BATCH_WORKERS = 8


@bp.post("/api/pipeline/batch")
@require_role("analyst")
def run_batch():
    """Start ``python -m pipeline batch`` for ``customer_ids`` (or ``all``: every customer in the lake) with
    ``steps`` (default: all five) on ``workers`` Dask workers; progress streams to the ``batch`` room."""
    body = json_body()
    customer_ids = _batch_customers(body)
    steps = body.get("steps") or list(STEPS)
    if not isinstance(steps, list) or not steps or any(s not in STEPS for s in steps):
        raise APIError(f"steps must be a list of {', '.join(STEPS)}", field="steps", code="invalid_argument")
    workers = body.get("workers", 2)
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= MAX_BATCH_WORKERS:
        raise APIError(f"workers must be an integer from 1 to {MAX_BATCH_WORKERS}", field="workers",
                       code="invalid_argument")
    refused = []
    for customer_id in customer_ids:  # a known customer runs only under a live lending consent
        if registry().list(customer_id):
            try:
                registry().check(customer_id, LENDING_PURPOSES)
            except ConsentError as exc:
                refused.append(f"{customer_id} ({exc})")
    if refused:
        raise ConsentError(f"no active consent for {len(refused)} customer(s): {'; '.join(refused[:5])}")
    job = current_app.extensions["jobs"].start_batch(customer_ids, [s for s in STEPS if s in steps],
                                                     current_principal().label, workers)
    audit_action("pipeline_batch", None, job_id=job["job_id"], customers=len(customer_ids), steps=job["steps"])
    return jsonify({"job_id": job["job_id"], "status": job["status"], "step": "batch", "steps": job["steps"],
                    "customers": len(customer_ids), "workers": workers}), 202


def _batch_customers(body: dict) -> list[str]:
    """The batch's customer ids, validated one by one (400 names the offending entry)."""
    if body.get("all") is True:  # every customer inside the caller's scope
        ids = lake().customers()
        if not ids:
            raise APIError("the lake has no customers yet", field="all", code="invalid_argument")
        ids = visible_customers(ids)
        if not ids:
            raise APIError("no customer in the lake is inside your token's scope", field="all",
                           code="invalid_argument")
        return ids
    ids = body.get("customer_ids")
    if ids is None:
        raise APIError('send "customer_ids": [...] or "all": true', field="customer_ids", code="missing_field")
    if not isinstance(ids, list) or not ids:
        raise APIError("customer_ids must be a non-empty list", field="customer_ids", code="invalid_argument")
    if len(ids) > MAX_BATCH_CUSTOMERS:
        raise APIError(f"a batch holds at most {MAX_BATCH_CUSTOMERS:,} customers", status=413,
                       field="customer_ids", code="too_many_customers")
    for index, value in enumerate(ids):
        try:
            validate_customer_id(value if isinstance(value, str) else "")
        except InvalidCustomerIdError:
            raise APIError(f"customer_ids[{index}] is not a customer id (CUST_XXX_NNNNN)",
                           field=f"customer_ids[{index}]", code="invalid_customer_id") from None
    for index, value in enumerate(ids):  # a batch naming a customer outside the scope is refused whole
        require_in_scope(value, field=f"customer_ids[{index}]")
    return list(dict.fromkeys(ids))


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
    """A job's state and its last log lines (for a page reload); 403 ``out_of_scope`` for a scoped token when
    the job's customer is outside its scope, or for another token's batch (a batch spans many customers)."""
    job = current_app.extensions["jobs"].get(job_id)
    principal = current_principal()
    if job.get("customer_id"):
        require_in_scope(job["customer_id"], field="job_id", what=f"job {job_id}")
    elif principal.scope is not None and job.get("requested_by") != principal.label:
        raise OutOfScopeError(f"job {job_id} is a batch started by another token; a scoped token sees only its "
                              "own batches", field="job_id")
    return jsonify(job)
