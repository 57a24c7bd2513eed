"""The credit memo for the loan file: :func:`build_memo` gathers what it says from the case's documents,
:func:`render_credit_memo` lays it out as a PDF with ReportLab (A4, vector charts, DejaVu Sans for the ₹ sign)."""
from api_panel.casefile.memo.content import build_memo
from api_panel.casefile.memo.render import render_credit_memo

MEMO_DOCUMENTS = ("decision", "overall_summary", "transaction_summary", "gst_summary")
REQUIRED = (("overall_summary", "analyze"), ("decision", "models"))  # (document, the pipeline step that makes it)

__all__ = ["MEMO_DOCUMENTS", "REQUIRED", "build_memo", "render_credit_memo"]
