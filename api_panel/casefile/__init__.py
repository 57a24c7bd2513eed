"""The officer's case file: the engine's decision beside the officer's own, the case history and list, and the
credit memo.

- :mod:`api_panel.casefile.decisions`: the officer decision (its body declared once, for validation and the
  OpenAPI document), compared with the engine's ``decision.json``, stored append-only through the Lake;
- :mod:`api_panel.casefile.history`: a case's history (engine decisions, model runs, officer decisions) and the
  case list after sign-in;
- :mod:`api_panel.casefile.identity`: who the borrower is (business name, PAN, GSTIN, Udyam number);
- :mod:`api_panel.casefile.memo`: the credit memo for the loan file, a PDF rendered with ReportLab.

Plain functions over the Lake and parsed documents; the routes (``routes/decisions.py``, ``routes/cases.py``,
``routes/memo.py``) check roles and consent and call them.
"""
