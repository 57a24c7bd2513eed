"""The I/O edge of the AA importer: read a file, parse it, write the customer's raw layer.

Two rules decide what else of the customer's raw layer survives an import:

* **the customer's own data re-delivered**: the imported accounts are exactly the accounts the customer already
  has (same ``linkedAccRef`` and ``maskedAccNumber`` as the raw, else clean, accounts) and any GST returns are
  of the customer's GSTIN. Only what the delivery carried is replaced (``accounts`` + ``transactions`` for
  DEPOSIT; the GSTR-1 and GSTR-3B returns of ``gst_returns`` for GSTR1_3B, other return types kept); every
  other source, the consent, ``injected.json`` and ``customer.json`` are kept, the last with an ``aa_fetch``
  provenance entry;
* **data of unknown origin** (anything else): it replaces the customer. A synthetic customer's other sources,
  consent and ``injected.json`` are removed, because real bank data must not sit beside another origin's
  synthetic GST, bureau or consent; an imported customer's other sources are kept with a warning.

Everything is parsed and decided before the first write, and each write is atomic (temp file, ``os.replace``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from pipeline.aa_import import AAImportError, ImportResult, parse_aa_document
from pipeline.lake import SOURCES, Lake, dumps_line, utc_now_iso, validate_customer_id


def _customer_meta(customer_id: str, source_name: str, result: ImportResult) -> dict:
    """customer.json: provenance and counts only; personal data stays in the accounts records."""
    meta: dict[str, Any] = {"customer_id": customer_id, "profile": "imported", "source": "aa_import"}
    names = [h["name"] for a in result.accounts for h in a.get("profile", {}).get("holders", {}).get("holder", [])
             if "name" in h]
    if names:
        meta["business_name"] = meta["owner_name"] = str(names[0])
    meta.update(imported_from=source_name, fi_versions=result.fi_versions,
                accounts=len(result.accounts), transactions=len(result.transactions))
    if result.gst_returns:
        meta["gst_returns"] = len(result.gst_returns)
    if result.consent_ids:
        meta["consent_ids"] = result.consent_ids
    return meta


def _delivered(result: ImportResult) -> dict[str, list[dict]]:
    """The raw sources an import carries: DEPOSIT's accounts and transactions, GSTR1_3B's gst_returns."""
    sources: dict[str, list[dict]] = {}
    if result.accounts:
        sources.update(accounts=result.accounts, transactions=result.transactions)
    if result.gst_returns:
        sources["gst_returns"] = result.gst_returns
    return sources


def _read_records(lake: Lake, path: Path) -> list[tuple[bytes, Any]]:
    """A raw or clean file's lines with what each parses to (``None`` for a line that is not JSON)."""
    out = []
    for line in lake.read_lines(path) if path.exists() else []:
        try:
            out.append((line, orjson.loads(line)))
        except orjson.JSONDecodeError:
            out.append((line, None))
    return out


def _account_keys(records: list[Any]) -> set[tuple[str, str]]:
    return {(str(r.get("linkedAccRef")), str(r.get("maskedAccNumber"))) for r in records if isinstance(r, dict)}


def _is_own_data(lake: Lake, customer_id: str, meta: dict, delivered: dict[str, list[dict]]) -> bool:
    """True when the delivery is the customer's own: their accounts exactly, and GST returns of their GSTIN."""
    if not meta or not delivered:
        return False
    if "accounts" in delivered:
        path = lake.raw_path(customer_id, "accounts")
        if not path.exists():
            path = lake.clean_path(customer_id, "accounts")
        held = _account_keys([record for _, record in _read_records(lake, path)])
        if not held or _account_keys(delivered["accounts"]) != held:
            return False
    if "gst_returns" in delivered:
        gstin = str(meta.get("gstin") or "").strip().upper()
        if not gstin or any(str(r.get("gstin", "")).strip().upper() != gstin for r in delivered["gst_returns"]):
            return False
    return True


def _merged_gst_lines(lake: Lake, customer_id: str, returns: list[dict]) -> tuple[list[bytes], int]:
    """Raw gst_returns after a GSTR1_3B delivery: the delivered returns, then every earlier line that is not a
    return of a delivered type (GSTR-2B statements, lines nothing can read), kept byte for byte."""
    replaced = {str(r.get("return_type", "")).strip().upper() for r in returns}
    kept = [line for line, record in _read_records(lake, lake.raw_path(customer_id, "gst_returns"))
            if not (isinstance(record, dict) and str(record.get("return_type", "")).strip().upper() in replaced)]
    return [dumps_line(r) for r in returns] + kept, len(kept)


def _store_own_data(lake: Lake, customer_id: str, meta: dict, result: ImportResult, source_name: str,
                    delivered: dict[str, list[dict]]) -> ImportResult:
    """Replace only what the delivery carried; keep the rest and record the fetch in customer.json."""
    lines = {source: [dumps_line(r) for r in records] for source, records in delivered.items()}
    kept_gst = 0
    if "gst_returns" in delivered:
        lines["gst_returns"], kept_gst = _merged_gst_lines(lake, customer_id, delivered["gst_returns"])
    for source, source_lines in lines.items():
        lake.write_lines(lake.raw_path(customer_id, source), source_lines)
    provenance = {"source": source_name, "fi_versions": result.fi_types,
                  "counts": {source: len(records) for source, records in delivered.items()},
                  "fetched_at": utc_now_iso()}
    lake.write_json(lake.customer_meta_path(customer_id), {**meta, "aa_fetch": provenance})
    kept = [s for s in SOURCES if s not in delivered and lake.raw_path(customer_id, s).exists()]
    note = f" ({kept_gst} other gst_returns lines kept)" if "gst_returns" in delivered else ""
    result.warnings.append(f"{customer_id}: the AA delivered the customer's own data again: replaced raw "
                           f"{', '.join(delivered)}{note}; kept {', '.join(kept) or 'no other source'}, the consent "
                           "and customer.json")
    return result


def import_aa(lake: Lake, customer_id: str, path: str | Path) -> ImportResult:
    """Import one AA FI file as the customer's raw ``accounts`` and ``transactions`` (and ``gst_returns``).

    The id is validated before anything is read or written, and nothing is
    written unless the whole document maps, so a bad file never leaves a
    half-imported customer. What else survives: see the module's two rules.
    """
    validate_customer_id(customer_id)
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AAImportError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return store_import(lake, customer_id, parse_aa_document(data, str(source)), source.name)


def store_import(lake: Lake, customer_id: str, result: ImportResult, source_name: str) -> ImportResult:
    """Write parsed FI data to the customer's raw layer (from a file or an AA fetch), by the module's two rules."""
    validate_customer_id(customer_id)
    delivered = _delivered(result)
    if not delivered:
        raise AAImportError(f"{source_name}: no DEPOSIT or GSTR1_3B data to import")
    meta_path = lake.customer_meta_path(customer_id)
    previous = lake.read_json(meta_path) if meta_path.exists() else {}
    if _is_own_data(lake, customer_id, previous, delivered):
        return _store_own_data(lake, customer_id, previous, result, source_name, delivered)
    was_synthetic = bool(previous) and previous.get("profile") != "imported"
    kept = [s for s in SOURCES if s not in delivered and lake.raw_path(customer_id, s).exists()]
    for source, records in delivered.items():
        lake.write_ndjson(lake.raw_path(customer_id, source), records)
    lake.write_json(meta_path, _customer_meta(customer_id, source_name, result))
    if was_synthetic:
        # real bank data must not sit beside another origin's synthetic GST, bureau or consent
        for name in kept:
            lake.raw_path(customer_id, name).unlink(missing_ok=True)
        lake.consent_path(customer_id).unlink(missing_ok=True)
        lake.log_path(customer_id, "injected").unlink(missing_ok=True)
        result.warnings.append(f"replaced the synthetic data of {customer_id}: removed raw {', '.join(kept) or 'sources'}"
                               " and the synthetic consent")
    elif kept:
        result.warnings.append(f"raw {', '.join(kept)} of {customer_id} were not replaced and still hold earlier data")
    return result
