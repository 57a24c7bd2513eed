"""``python -m pipeline batch``: the per-customer pipeline for many customers on Dask distributed.

Each customer is one Dask task that calls :func:`pipeline.runner.run_steps`
in a worker process, exactly as ``python -m pipeline run`` would, so a run
recorded by a batch looks like any other. Customers are independent (each
writes only its own lake directories), so the batch scales with workers: a
``LocalCluster`` of ``N`` single-threaded worker processes by default, or
the workers of an existing scheduler (``--scheduler tcp://host:8786``),
which must have the project installed and see the same lake: the same
directory, or the same object-store URL (``s3://bucket/prefix``), in which
case each task stages its customer into a private working copy in its worker
and publishes what changed (:mod:`pipeline.remote_lake`), so workers on other
machines need only the URL and the S3 credentials in their environment.

Results stream back as they complete (``as_completed``), one line per
customer; a customer that fails is reported with its error and the others
go on. The risk model is trained once in the client before any task is
submitted, so parallel ``score`` steps load it instead of each training it.
"""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.config import is_object_store_url, load_env
from pipeline.lake import Lake, LakeError, validate_customer_id
from pipeline.remote_lake import RemoteLake
from pipeline.remote_stage import working_copy

Report = Callable[[str, str], None]


class BatchInputError(ValueError):
    """The list of customers cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class BatchItem:
    """One customer of a batch: its id and, optionally, the profile to generate it with."""

    customer_id: str
    profile: str | None = None


def read_customer_file(path: str | Path) -> list[BatchItem]:
    """Customers from a file: one ``id`` or ``id,profile`` a line; blank lines and ``#`` comments are skipped.

    Ids are not validated here: a bad id is that customer's failure, reported
    with the others' results, not a reason to refuse the whole batch.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BatchInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    items = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) > 2 or not parts[0]:
            raise BatchInputError(f"{path}:{number}: expected 'CUSTOMER_ID' or 'CUSTOMER_ID,profile', got {raw!r}")
        items.append(BatchItem(parts[0], parts[1] if len(parts) == 2 and parts[1] else None))
    return _unique(items)


def _unique(items: list[BatchItem]) -> list[BatchItem]:
    seen: dict[str, BatchItem] = {}
    for item in items:
        seen.setdefault(item.customer_id, item)  # the first mention wins; one task per customer
    return list(seen.values())


def all_customers(lake: Lake | RemoteLake, config: dict) -> list[BatchItem]:
    """Every customer in the lake (with the profile it was generated with) plus the demo customers of config.json."""
    items = [BatchItem(cid, profile) for cid, profile in config.get("demo_customers", {}).items()]
    for cid in lake.customers():
        profile = _customer_meta(lake, cid).get("profile")
        items.append(BatchItem(cid, profile if profile != "imported" else None))
    return sorted(_unique(items), key=lambda item: item.customer_id)


def _customer_meta(lake: Lake | RemoteLake, customer_id: str) -> dict:
    if isinstance(lake, RemoteLake):
        return lake.customer_meta(customer_id) or {}
    try:
        path = lake.customer_meta_path(customer_id)
        meta = lake.read_json(path) if path.exists() else {}
    except (LakeError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def lake_location(lake: Lake | RemoteLake) -> str:
    """What a task is given to open the lake in its worker: the directory, or the object-store URL."""
    return lake.url if isinstance(lake, RemoteLake) else str(lake.root)


def run_customer(lake_root: str, customer_id: str, profile: str | None, steps: list[str], config: dict,
                 as_of: date | None = None) -> dict[str, Any]:
    """The task a worker runs: ``run_steps`` for one customer; returns ``{customer_id, status, error, steps, ...}``.

    ``lake_root`` is a directory or an object-store URL; on an object store
    the customer is staged into a private working copy in this worker, the
    steps run there and what changed is published back (``objects`` in the
    result counts it). A customer imported from an AA file is never
    regenerated (that would replace real data with synthetic): ``generate``
    is dropped from its steps.
    """
    from generators.registry import PROFILE_NAMES

    started, cpu_started = time.perf_counter(), time.process_time()
    steps, notes, warnings, published = list(steps), [], [], []
    result = {"customer_id": customer_id, "status": "error", "error": None, "notes": notes}
    if profile is not None and profile not in PROFILE_NAMES:
        return {**result, "steps": steps, "error": f"unknown profile {profile!r}; known: {', '.join(PROFILE_NAMES)}",
                "duration_s": 0.0}
    try:
        if is_object_store_url(lake_root):
            validate_customer_id(customer_id)  # before any key is built
            load_env()  # a worker on another machine: the S3 settings of its own .env, if it has one
            with working_copy(RemoteLake(lake_root), customer_id, models="score" in steps,
                                                    on_published=published.append) as lake:
                outcome = _run_in(lake, customer_id, profile, steps, config, as_of, notes, warnings)
        else:
            outcome = _run_in(Lake(lake_root), customer_id, profile, steps, config, as_of, notes, warnings)
    except Exception as exc:  # noqa: BLE001 - returned, not raised: one line in the report, no worker traceback
        outcome = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    if published:
        p = published[0]
        result["objects"] = {"written": len(p.written), "deleted": len(p.deleted), "unchanged": p.unchanged,
                             "log_entries": p.entries}
    return {**result, "status": outcome["status"], "error": outcome["error"], "steps": steps,
            "warnings": len(warnings), "duration_s": round(time.perf_counter() - started, 3),
            "cpu_s": round(time.process_time() - cpu_started, 3)}


def _run_in(lake: Lake, customer_id: str, profile: str | None, steps: list[str], config: dict,
            as_of: date | None, notes: list[str], warnings: list[str]) -> dict[str, Any]:
    """``run_steps`` on one (local or working-copy) lake; ``steps`` loses ``generate`` for an imported customer."""
    from pipeline.runner import run_steps

    if "generate" in steps and _is_imported(lake, customer_id):
        steps.remove("generate")
        notes.append("imported from an AA file: generate skipped")
    return run_steps(lake, customer_id, steps, config,
                     lambda level, message: warnings.append(message) if level == "warning" else None,
                     {"generate": {"profile": profile, "as_of": as_of}})


def _is_imported(lake: Lake, customer_id: str) -> bool:
    try:
        path = lake.customer_meta_path(customer_id)
        return path.exists() and lake.read_json(path).get("profile") == "imported"
    except (LakeError, ValueError):
        return False


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Dask client: on an existing scheduler, else on a new LocalCluster of single-threaded worker processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # Workers' own log lines are silenced: a task's failure reaches the client as its exception (reported per
    # customer), and what workers log while the cluster shuts down (heartbeats to a closed scheduler) is noise
    # with tracebacks that a user would take for a failure.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        try:
            yield client
        finally:
            logging.getLogger("distributed").setLevel(logging.CRITICAL)


def _prepare_risk_model(lake: Lake | RemoteLake, config: dict, report: Report) -> None:
    from analytics.risk.model import ensure_risk_model, load_risk_model
    from analytics.risk.tracking import server_uri

    if isinstance(lake, RemoteLake):
        with working_copy(lake, None, models=True) as local:  # trained here once, published under models/
            if load_risk_model(local) is None and server_uri() is None:   # a working copy's own store would be lost
                raise LakeError(f"{lake.url} has no risk model yet; a model trained for an object-store lake is "
                                "tracked on an MLflow server: set MLFLOW_TRACKING_URI, or train one with "
                                "`python -m pipeline train-risk` on a local lake and copy its models/ up")
            ensure_risk_model(local, config, report)
        return
    ensure_risk_model(lake, config, report)


def run_batch(client: Any, lake: Lake | RemoteLake, config: dict, items: list[BatchItem], steps: list[str],
              report: Report, as_of: date | None = None) -> dict[str, Any]:
    """Run ``steps`` for every item on the client's workers and report each customer as it finishes.

    ``report(level, message)`` hears ``[i/n] CUST… done|error: …`` lines and
    the summary. Returns ``{done, failed, total, elapsed_s, customers_per_s,
    workers, failures: [{customer_id, error}], results}``.
    """
    from dask.distributed import as_completed

    if "score" in steps:
        _prepare_risk_model(lake, config, report)
    n_workers = len(client.scheduler_info().get("workers", {}))
    report("info", f"batch of {len(items)} customer(s) on {n_workers} worker(s): {','.join(steps)}")
    if isinstance(lake, RemoteLake):
        report("info", f"object-store lake {lake.url}: each task stages its customer in its worker and publishes "
                       "what changed")
    started = time.perf_counter()
    shared_config = client.scatter([config], broadcast=True)[0]  # a list: a dict would be scattered value by value
    futures = {client.submit(run_customer, lake_location(lake), item.customer_id, item.profile, steps, shared_config,
                             as_of, key=f"pipeline-{item.customer_id}-{uuid.uuid4().hex[:8]}", pure=False): item
               for item in items}
    results, failures = [], []
    for index, future in enumerate(as_completed(futures), start=1):
        item = futures[future]
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a task that raised is this customer's failure only
            result = {"customer_id": item.customer_id, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
        results.append(result)
        prefix = f"[{index}/{len(items)}] {item.customer_id}"
        if result["status"] == "done":
            notes = "; ".join(result.get("notes") or [])
            report("success", f"{prefix} done in {result['duration_s']:.2f}s" + (f" ({notes})" if notes else ""))
        else:
            failures.append({"customer_id": item.customer_id, "error": result["error"]})
            report("error", f"{prefix} error: {result['error']}")
        future.release()
    elapsed = time.perf_counter() - started
    summary = {"done": len(results) - len(failures), "failed": len(failures), "total": len(items),
               "elapsed_s": round(elapsed, 3), "customers_per_s": round(len(items) / elapsed, 3) if elapsed else None,
               "workers": n_workers, "failures": failures, "results": results}
    level = "error" if failures else "success"
    report(level, f"batch finished: {summary['done']} done, {summary['failed']} failed of {summary['total']} "
                  f"in {elapsed:.1f}s ({summary['customers_per_s']} customers/s on {n_workers} worker(s))")
    for failure in failures:
        report("error", f"failed: {failure['customer_id']}: {failure['error']}")
    return summary
