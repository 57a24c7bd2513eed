"""Pipeline steps an analyst can trigger: 202 with a job id, the work in the background."""
from __future__ import annotations

from typing import Annotated, Literal

from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel, Field, StrictBool, StrictInt

from api_panel.access import (LENDING_PURPOSES, audit_action, lake, registry, require_customer, require_in_scope,
                              visible_customers)
from api_panel.auth import current_principal, require_role
from api_panel.declare import CustomerBody, CustomerId, declared, optional, whole
from api_panel.errors import APIError, OutOfScopeError
from api_panel.jobs import STEP_PLANS
from pipeline.consents import ConsentError
from pipeline.runner import STEPS

bp = Blueprint("pipeline", __name__)
MAX_BATCH_CUSTOMERS = 10_000
MAX_BATCH_WORKERS = 8


class BatchRequest(BaseModel):
    """Which customers, which steps, how many workers."""

    customer_ids: Annotated[list[CustomerId], Field(min_length=1, max_length=MAX_BATCH_CUSTOMERS)] = optional()
    all: StrictBool = Field(False, description="every customer in the lake (instead of customer_ids)")
    steps: Annotated[list[Literal[tuple(STEPS)]], Field(min_length=1),
                     whole(f"steps must be a list of {', '.join(STEPS)}")] = optional("default: all five")
    workers: Annotated[StrictInt, Field(ge=1, le=MAX_BATCH_WORKERS)] = 2


@bp.post("/api/pipeline/batch")
@require_role("analyst")
@declared
def run_batch(json: BatchRequest):
    """Start ``python -m pipeline batch`` for ``customer_ids`` (or ``all``: every customer in the lake) with
    ``steps`` (default: all five) on ``workers`` Dask workers; progress streams to the ``batch`` room."""
    customer_ids = _batch_customers(json)
    steps, workers = json.steps or list(STEPS), json.workers
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


def _batch_customers(body: BatchRequest) -> list[str]:
    """The batch's customer ids (each checked by its declaration; a batch naming a customer outside the caller's
    scope is refused whole), or every customer of the lake inside the scope for ``all``."""
    if body.all:
        ids = lake().customers()
        if not ids:
            raise APIError("the lake has no customers yet", field="all", code="invalid_argument")
        ids = visible_customers(ids)
        if not ids:
            raise APIError("no customer in the lake is inside your token's scope", field="all",
                           code="invalid_argument")
        return ids
    if body.customer_ids is None:
        raise APIError('send "customer_ids": [...] or "all": true', field="customer_ids", code="missing_field")
    for index, value in enumerate(body.customer_ids):
        require_in_scope(value, field=f"customer_ids[{index}]")
    return list(dict.fromkeys(body.customer_ids))


@bp.post("/api/pipeline/<step>")
@require_role("analyst")
@declared
def run_step(step: Literal[tuple(STEP_PLANS)], json: CustomerBody):
    """Start ``step`` (generate, clean, analyze, calculate_score, models or run_all) for one customer."""
    customer_id = json.customer_id
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
