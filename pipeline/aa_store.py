"""The I/O edge of the AA importer: read a file, parse it, write the customer's raw layer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.aa_import import AAImportError, ImportResult, parse_aa_document
from pipeline.lake import SOURCES, Lake, validate_customer_id


def _customer_meta(customer_id: str, source_name: str, result: ImportResult) -> dict:
    """customer.json: provenance and counts only; personal data stays in the accounts records."""
    meta: dict[str, Any] = {"customer_id": customer_id, "profile": "imported", "source": "aa_import"}
    names = [h["name"] for a in result.accounts for h in a.get("profile", {}).get("holders", {}).get("holder", [])
             if "name" in h]
    if names:
        meta["business_name"] = meta["owner_name"] = str(names[0])
    meta.update(imported_from=source_name, fi_versions=result.fi_versions,
                accounts=len(result.accounts), transactions=len(result.transactions))
    if result.consent_ids:
        meta["consent_ids"] = result.consent_ids
    return meta


def import_aa(lake: Lake, customer_id: str, path: str | Path) -> ImportResult:
    """Import one AA FI file as the customer's raw ``accounts`` and ``transactions``, replacing them.

    The id is validated before anything is read or written, and nothing is
    written unless the whole document maps, so a bad file never leaves a
    half-imported customer. Other raw sources are kept, with a warning.
    """
    validate_customer_id(customer_id)
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AAImportError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return store_import(lake, customer_id, parse_aa_document(data, str(source)), source.name)


def store_import(lake: Lake, customer_id: str, result: ImportResult, source_name: str) -> ImportResult:
    """Write parsed FI data as the customer's raw ``accounts`` and ``transactions`` (from a file or an AA fetch)."""
    validate_customer_id(customer_id)
    meta_path = lake.customer_meta_path(customer_id)
    previous = lake.read_json(meta_path) if meta_path.exists() else {}
    was_synthetic = bool(previous) and previous.get("profile") != "imported"
    kept = [s for s in SOURCES if s not in ("accounts", "transactions") and lake.raw_path(customer_id, s).exists()]
    lake.write_ndjson(lake.raw_path(customer_id, "transactions"), result.transactions)
    lake.write_ndjson(lake.raw_path(customer_id, "accounts"), result.accounts)
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
