"""``python -m pipeline prepare-demo``: the ten demo customers, ready for the dashboard, as ``make run`` needs.

Each customer's bank account and GST returns arrive through the local Account Aggregator over HTTP under a
consent the simulated customer approves (:mod:`pipeline.aa.demo`); the other sources are generated; then every
step runs. After the customers: the demo loan book, the behavioural model. One customer's failure does not
stop the others; the failures are returned. A customer whose inputs have not changed since it was prepared
(:mod:`pipeline.demo_stamp`) and whose AA consent is still in force is reused as it is.
"""
from __future__ import annotations

from datetime import date

from pipeline.lake import Lake


def prepare_demo(lake: Lake, config: dict, as_of: date | None, say, progress) -> list[str]:
    """Prepare every demo customer of ``config`` in ``lake``; returns one line per customer that failed."""
    from pipeline.aa.demo import AA_SOURCES, consent_for_demo, consent_in_force, fetch_demo_customer, local_aa
    from pipeline.aa.errors import AAError
    from pipeline.aa.journey import aa_settings
    from pipeline.consents import ConsentRegistry
    from pipeline.demo_stamp import code_digest, demo_stamp, forget_stamp, stamp_matches, write_stamp
    from pipeline.runner import run_steps

    as_of = as_of or date.today().replace(day=1)
    failed, rebuilt = [], {}
    code = code_digest()
    with local_aa(aa_settings(config), config, as_of) as client:
        say(f"local Account Aggregator at {client.base_url}")
        for customer_id, profile in config["demo_customers"].items():
            stamp = demo_stamp(code, config, profile, as_of)
            if stamp_matches(lake, customer_id, stamp) and \
                    consent_in_force(lake, customer_id, client, ConsentRegistry(lake)):
                say(f"== {customer_id} ({profile}): reused (inputs unchanged, AA consent in force)")
                continue
            say(f"== {customer_id} ({profile})")
            forget_stamp(lake, customer_id)
            rebuilt[customer_id] = stamp
            try:
                consent_for_demo(lake, customer_id, client, ConsentRegistry(lake), progress)
                outcome = run_steps(lake, customer_id, ["generate"], config, progress,
                                    {"generate": {"profile": profile, "as_of": as_of, "aa_sources": AA_SOURCES}})
                if outcome["status"] == "done":
                    say(fetch_demo_customer(lake, customer_id, client, progress))
                    outcome = run_steps(lake, customer_id, ["clean", "analyze", "score", "models"], config, progress)
            except AAError as exc:
                outcome = {"status": "error", "error": f"AA ({exc.code}): {exc}"}
            if outcome["status"] != "done":
                failed.append(f"{customer_id}: {outcome['error']}")
    if failed:
        return failed
    if not rebuilt:
        say("every demo customer reused: the loan book and behaviour model are the ones prepared with them")
        _ensure_warehouse(lake, say, rebuild=False)
        return []
    from monitoring.booking import accept_demo_recommendations  # a thicker loan book for the portfolio
    from monitoring.loans import load_loans
    from monitoring.model import ensure_behaviour_model  # trained now, so the first repayment event is fast
    accept_demo_recommendations(lake, config, progress=lambda message: say(message))
    load_loans(lake, config=config)
    ensure_behaviour_model(lake, config, progress)
    _ensure_warehouse(lake, say, rebuild=True)
    for customer_id, stamp in rebuilt.items():  # stamped only now: the whole demo is ready
        write_stamp(lake, customer_id, stamp)
    return []


def _ensure_warehouse(lake: Lake, say, rebuild: bool) -> None:
    """The warehouse the Portfolio view's SQL views read, built over the demo (again whenever a demo customer
    was prepared again), so the dashboard shows them on the first start."""
    from pipeline.warehouse.build import build_warehouse, warehouse_manifest

    if rebuild or warehouse_manifest(lake) is None:
        manifest = build_warehouse(lake)
        say(f"warehouse built: {sum(manifest['rows'].values()):,} rows of {manifest['customers']} customers "
            "(python -m pipeline warehouse build rebuilds it)")
