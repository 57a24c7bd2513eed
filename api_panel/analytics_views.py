"""How analytics documents are served light: long record lists paged, the bundle a digest of every document.

Why: the stored documents are whole (the case file, the profile and the models
read them from disk), but one customer's reconciliation alone holds thousands
of matched items. Over HTTP:

* a *paged list* (:data:`PAGED_LISTS`) leaves every document response: in its
  place stands ``{"total": n, "href": <its paged endpoint>}``, and
  ``GET /api/analytics/<name>/<list>`` serves it ``limit`` items at a time, in
  stored order (stable: the analytics write it deterministically);
* the bundle (``GET /api/analytics`` without ``names``) is a *digest*: each
  document's plain fields and its ``metrics`` whole (every number with its
  formula, inputs and explanation: what the Calculations tab shows), every
  other section replaced by a link (``href``, and ``total`` for a list) to the
  document or the list that holds it.

Pure functions over parsed documents; the routes do the I/O.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

# document name -> its long per-record lists, served paged (GET /api/analytics/<name>/<list>)
PAGED_LISTS: dict[str, tuple[str, ...]] = {
    "reconciliation": ("matches", "match_groups", "unmatched_items", "unmatched_bank_credits"),
    "transaction_summary": ("eod_balance",),  # the daily end-of-day balance ledger
}
DEFAULT_PAGE = 100
MAX_PAGE = 500
DIGEST_KEEPS = ("metrics",)  # structured sections the digest carries whole


def document_href(name: str, customer_id: str) -> str:
    """Where one whole document (paged lists linked) is served."""
    return f"/api/analytics/{quote(name)}?customer_id={customer_id}"


def list_href(name: str, list_name: str, customer_id: str) -> str:
    """Where one paged list is served (first page: add ``limit`` and ``offset`` for others)."""
    return f"/api/analytics/{quote(name)}/{quote(list_name)}?customer_id={customer_id}"


def is_paged(name: str, list_name: str) -> bool:
    """Whether ``name``'s ``list_name`` is served paged."""
    return list_name in PAGED_LISTS.get(name, ())


def without_paged_lists(name: str, document: Any, customer_id: str) -> Any:
    """The document with each paged list replaced by ``{"total", "href"}`` (a new dict; the input is untouched).
    A document with no paged list, or not a JSON object, comes back as it is."""
    paged = PAGED_LISTS.get(name)
    if not paged or not isinstance(document, dict):
        return document
    out = dict(document)
    for key in paged:
        if isinstance(out.get(key), list):
            out[key] = {"total": len(out[key]), "href": list_href(name, key, customer_id)}
    return out


def digest(name: str, document: Any, customer_id: str) -> Any:
    """The document's plain fields and ``metrics`` whole; every other list or object as a link to where it is
    served in full (``{"href"}``, plus ``"total"`` for a list)."""
    if not isinstance(document, dict):
        return document
    out: dict[str, Any] = {}
    for key, value in document.items():
        if key in DIGEST_KEEPS or not isinstance(value, (dict, list)):
            out[key] = value
        elif isinstance(value, list):
            href = list_href(name, key, customer_id) if is_paged(name, key) else document_href(name, customer_id)
            out[key] = {"total": len(value), "href": href}
        else:
            out[key] = {"href": document_href(name, customer_id)}
    return out


def page(items: list, limit: int, offset: int) -> dict[str, Any]:
    """``{items, total, limit, offset}``: ``limit`` items from ``offset`` in stored order (empty past the end)."""
    return {"items": items[offset:offset + limit], "total": len(items), "limit": limit, "offset": offset}
