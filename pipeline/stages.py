"""The I/O edge of each pipeline step: load through the Lake, call pure code, save through the Lake.

Each stage takes ``(lake, customer_id, config, progress)`` and returns a short
summary dict. ``progress(level, message)`` is how a stage reports; the CLI
prints it and the API server streams it to the dashboard.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from generators.aa_fip import not_carried
from generators.gc_pause import without_cycle_collection
from generators.messiness import mess_rng, render_source
from pipeline.branches import branch_for_new_customer
from pipeline.cleaning import clean_source, validate_consent
from pipeline.consents import SOURCE_FI_TYPES, ConsentRegistry
from pipeline.lake import SOURCES, Lake, LakeError, utc_now_iso, validate_customer_id
from pipeline.reuse import Remembered, file_identity
from pipeline.sources import SPECS

Progress = Callable[[str, str], None]


class StageError(Exception):
    """A step could not do its job for this customer; the message says why."""


def _quiet(level: str, message: str) -> None:
    return None


def _simulated_consent(consent: dict, aa_sources: tuple[str, ...]) -> dict:
    """The generated consent, less the FI types the AA journey's own consent covers when the AA delivers them."""
    by_aa = {SOURCE_FI_TYPES[s] for s in aa_sources}
    return {**consent, "fiTypes": [t for t in consent["fiTypes"] if t not in by_aa]} if by_aa else consent


@without_cycle_collection   # the generated records are freed before it resumes: no pass ever scans them
def generate_stage(lake: Lake, customer_id: str, config: dict, progress: Progress = _quiet,
                   profile: str | None = None, as_of: date | None = None,
                   aa_sources: tuple[str, ...] = ()) -> dict[str, Any]:
    """Generate a synthetic customer into the raw layer, with ``logs/injected.json`` saying what mess went in.

    ``aa_sources`` are delivered by the local AA's FIP instead (the demo): they are not written here (but for
    what no FI type carries, such as GSTR-2B), and injected.json accounts for them as the FIP holds them, so the
    mess accounting stays exact once the fetch has written the rest.
    """
    from generators.registry import generate_customer, profile_for

    validate_customer_id(customer_id)
    registry = ConsentRegistry(lake)
    known = registry.list(customer_id)
    if known and not any(a["effectiveStatus"] == "ACTIVE" for a in known):
        raise StageError(f"consent {known[-1]['consentId']} of {customer_id} is {known[-1]['effectiveStatus']}: "
                         "a new consent is needed before any data is fetched")
    as_of = as_of or date.today().replace(day=1)
    profile = profile or profile_for(customer_id, config)
    progress("info", f"generating {customer_id} with profile {profile}, as of {as_of:%Y-%m}")
    generated = generate_customer(customer_id, profile, as_of, config)
    mess = config["messiness_config"]
    seed = generated.customer.get("seed")
    injected: dict[str, Any] = {
        "customer_id": customer_id, "profile": generated.profile, "as_of": generated.as_of.isoformat(),
        "seed": seed, "messiness_config": mess, "sources": {}, "truth": generated.truth,
    }
    written = []
    for source in SOURCES:
        records = generated.records.get(source, [])
        if source in aa_sources:   # the same stream the local FIP renders, minus what nothing could import
            lines, account = render_source(SPECS[source], records, mess, mess_rng(seed, source),
                                           plant_unrepairable=False)
            if own_lines := not_carried(source, lines):
                lake.write_lines(lake.raw_path(customer_id, source), own_lines)
            injected["sources"][source] = {**account, "delivered_by": "aa"}
            continue
        lines, account = render_source(SPECS[source], records, mess, mess_rng(seed, source))
        lake.write_lines(lake.raw_path(customer_id, source), lines)
        injected["sources"][source] = account
        written.append(f"{source} {account['lines']}")
    consent = _simulated_consent(generated.consent, aa_sources)
    lake.write_json(lake.consent_path(customer_id), consent)
    covered = {t for a in known if a["effectiveStatus"] == "ACTIVE" for t in a["fiTypes"]}
    if consent["fiTypes"] and (not known if not aa_sources else not set(consent["fiTypes"]) <= covered):
        # first contact: the simulated consent journey ends with the customer's approval (with the AA
        # delivering the bank and GST data, it covers only the other sources)
        registry.add(customer_id, consent)
        progress("info", f"consent {consent['consentId']} for {', '.join(consent['fiTypes'])} approved by the "
                         "customer (simulated)")
    customer = generated.customer
    branch = branch_for_new_customer(customer_id, config)
    if branch is not None:   # the branch that serves the customer: what branch-scoped API tokens match
        customer = {**customer, "branch": branch}
    if "accounts" in aa_sources:   # the accounts the applicant names, which the AA is to deliver
        customer = {**customer, "declared_accounts": [
            {"linkedAccRef": a["linkedAccRef"], "maskedAccNumber": a["maskedAccNumber"]}
            for a in generated.records.get("accounts", [])]}
    lake.write_json(lake.customer_meta_path(customer_id), customer)
    lake.write_json(lake.log_path(customer_id, "injected"), injected)
    progress("info", "raw lines written: " + ", ".join(written) +
             (f"; {', '.join(aa_sources)} come from the AA" if aa_sources else ""))
    return {"profile": generated.profile, "as_of": generated.as_of.isoformat(),
            "lines": {s: injected["sources"][s]["lines"] for s in SOURCES}}


def _clean_workers(config: dict, n_lines: int) -> int:
    """Processes to clean a source with (``pipeline.clean_workers``, for deliveries of at least
    ``parallel_clean_min_lines``). One by default: the one-process cleaner runs at ~130k transactions/s, and
    sending the halves' results between processes now costs more than the second core saves (104,482
    transactions: 0.79-1.08 s in one process, 1.22-1.51 s in two; bench/SPEED.md)."""
    settings = config.get("pipeline", {})
    if n_lines < int(settings.get("parallel_clean_min_lines", 50_000)):
        return 1
    return max(1, int(settings.get("clean_workers", 1)))


def clean_stage(lake: Lake, customer_id: str, config: dict, progress: Progress = _quiet) -> dict[str, Any]:
    """Clean every delivered source of a customer into clean + quarantine, with ``logs/clean_report.json``.

    A source that was never delivered is reported and skipped; one that cannot
    be read is an error for that source and fails the step after the others
    have been cleaned.
    """
    validate_customer_id(customer_id)
    if not lake.customer_dir("raw", customer_id).is_dir():
        raise StageError(f"no raw data for {customer_id}: run generate or import-aa first")
    report: dict[str, Any] = {"customer_id": customer_id, "sources": {}}
    failures = []
    for source in SOURCES:
        raw_path = lake.raw_path(customer_id, source)
        if not raw_path.exists():
            report["sources"][source] = {"source": source, "status": "missing",
                                         "message": "source not delivered for this customer"}
            for stale in (lake.clean_path(customer_id, source), lake.quarantine_path(customer_id, source)):
                stale.unlink(missing_ok=True)
            progress("warning", f"{source}: not delivered, skipped")
            continue
        try:
            lines = lake.read_lines(raw_path)
        except LakeError as exc:
            report["sources"][source] = {"source": source, "status": "error", "message": str(exc)}
            failures.append(f"{source}: {exc}")
            progress("error", f"{source}: {exc}")
            continue
        result = clean_source(source, lines, workers=_clean_workers(config, len(lines)))
        lake.write_bytes(lake.clean_path(customer_id, source), result.clean_ndjson)
        lake.write_ndjson(lake.quarantine_path(customer_id, source), result.quarantine)
        report["sources"][source] = result.report
        r = result.report
        level = "warning" if r["quarantined"]["total"] else "success"
        progress(level, f"{source}: read {r['read']}, written {r['written']}, "
                        f"duplicates {r['duplicates']}, quarantined {r['quarantined']['total']}")
    report["consent"] = _clean_consent(lake, customer_id, progress)
    lake.write_json(lake.log_path(customer_id, "clean_report"), report)
    if failures:
        raise StageError("; ".join(failures))
    return {"sources": {s: r.get("written") for s, r in report["sources"].items()}}


def _clean_consent(lake: Lake, customer_id: str, progress: Progress) -> dict[str, Any]:
    raw = lake.consent_path(customer_id)
    if not raw.exists():
        progress("warning", "consent.json: no consent artefact delivered")
        return {"status": "missing"}
    try:
        consent = lake.read_json(raw)
    except LakeError as exc:
        progress("error", f"consent.json: {exc}")
        return {"status": "error", "message": str(exc)}
    reasons = validate_consent(consent)
    if reasons:
        progress("error", f"consent.json: invalid ({reasons[0].code})")
        return {"status": "invalid", "reasons": [r.as_dict() for r in reasons]}
    lake.write_json(lake.consent_path(customer_id, "clean"), consent)
    return {"status": "ok", "consentId": consent.get("consentId"), "consent_status": consent.get("status")}


def _analysis_as_of(meta: dict, transactions: list[dict]) -> date:
    """The date analytics are computed as of: the generator's as-of, else the day after the last transaction."""
    if meta.get("as_of"):
        return date.fromisoformat(str(meta["as_of"])[:10])
    stamps = [t.get("transactionTimestamp", "") for t in transactions]
    if stamps:
        return date.fromisoformat(max(stamps)[:10]) + timedelta(days=1)
    return date.today()


_LOADED = Remembered("customer data")


def load_customer_data(lake: Lake, customer_id: str):
    """The clean layer, who the customer is, the consent and the as-of date, for the analytics steps.

    Read once per state of those files: while none has changed (same inode, modification time and size), a
    later step of the run gets the object read before (:mod:`pipeline.reuse`), which every step only reads.
    """
    from analytics.registry import CustomerData

    validate_customer_id(customer_id)
    if not lake.customer_dir("clean", customer_id).is_dir():
        raise StageError(f"no clean data for {customer_id}: run clean first")
    meta_path, consent_path = lake.customer_meta_path(customer_id), lake.consent_path(customer_id, "clean")
    files = (*(lake.clean_path(customer_id, source) for source in SOURCES), meta_path, consent_path)
    key = tuple(file_identity(path) for path in files)
    found = _LOADED.get(key)
    if found is not None:
        return found
    _LOADED.clear()   # the previous customer's data need not stay alive while this one is read
    records = {source: lake.read_clean(customer_id, source) for source in SOURCES}
    meta = lake.read_json(meta_path) if meta_path.exists() else {}
    consent = lake.read_json(consent_path) if consent_path.exists() else None
    return _LOADED.put(key, CustomerData(customer_id, _analysis_as_of(meta, records["transactions"]), records, meta,
                                         consent))


def analyze_stage(lake: Lake, customer_id: str, config: dict, progress: Progress = _quiet) -> dict[str, Any]:
    """Compute the underwriting analytics from the clean layer only and write ``analytics/<name>.json``.

    Every document is computed before any is written, so a failure leaves the
    previous outputs in place.
    """
    from analytics.registry import analyze_customer

    data = load_customer_data(lake, customer_id)
    progress("info", f"analysing {sum(map(len, data.records.values())):,} clean records as of {data.as_of}")
    documents = analyze_customer(data, config, code_version=str(config.get("version", "0")), generated_at=utc_now_iso())
    for name, document in documents.items():
        lake.write_json(lake.analytics_path(customer_id, name), document)
    score = documents["credit_score"].get("score", {}).get("value")
    fraud = documents["gst_summary"].get("fraud_indicators", {}).get("severity")
    progress("success", f"wrote {len(documents)} analytics documents (credit score {score}, GST fraud severity {fraud})")
    return {"documents": sorted(documents), "credit_score": score}
