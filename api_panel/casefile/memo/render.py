"""The credit memo laid out as an A4 PDF with ReportLab's Platypus: headings, tables, two vector charts, and a
running footer naming the customer, the policy and the page."""
from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from api_panel.casefile.memo.charts import flows_chart, gst_chart
from api_panel.casefile.memo.content import month_label
from api_panel.casefile.memo.fonts import MemoFonts, memo_fonts

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
INK, MUTED, RULE, SHADE = colors.HexColor("#1b1f24"), colors.HexColor("#5b6470"), colors.HexColor("#c9ced6"), \
    colors.HexColor("#f1f3f6")
DECISION_COLOURS = {"APPROVE": "#2f7d4f", "APPROVE_WITH_CONDITIONS": "#a86b00", "REFER": "#a86b00",
                    "DECLINE": "#b3261e"}


class _Styles:
    def __init__(self, fonts: MemoFonts):
        self.fonts = fonts
        base = dict(fontName=fonts.regular, textColor=INK, alignment=TA_LEFT)
        self.title = ParagraphStyle("title", fontSize=16, leading=20, spaceAfter=2, **{**base, "fontName": fonts.bold})
        self.sub = ParagraphStyle("sub", fontSize=8.5, leading=11, **{**base, "textColor": MUTED})
        self.h2 = ParagraphStyle("h2", fontSize=11.5, leading=15, spaceBefore=9, spaceAfter=4,
                                 **{**base, "fontName": fonts.bold})
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=10.5, **base)
        self.cell_bold = ParagraphStyle("cellb", fontSize=8.5, leading=10.5, **{**base, "fontName": fonts.bold})
        self.bullet = ParagraphStyle("bullet", fontSize=9, leading=12, leftIndent=10, bulletIndent=0, **base)
        self.big = ParagraphStyle("big", fontSize=13, leading=17, **{**base, "fontName": fonts.bold})

    def p(self, text: Any, style=None) -> Paragraph:
        """A paragraph of plain text (escaped; the rupee sign as the font prints it)."""
        return Paragraph(escape(self.fonts.text(str(text if text is not None else "—"))), style or self.body)

    def marked(self, markup: str, style=None) -> Paragraph:
        """A paragraph of trusted markup built here (values inside it escaped by the caller)."""
        return Paragraph(self.fonts.text(markup), style or self.body)


def _table(rows: list[list[Any]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _key_values(s: _Styles, pairs: list[tuple[str, Any]], columns: int = 2) -> Table:
    """Label/value pairs laid out in ``columns`` columns of two cells each."""
    cells = [[s.p(label, s.cell_bold), s.p(value, s.cell)] for label, value in pairs]
    rows = []
    for i in range(0, len(cells), columns):
        row = [c for pair in cells[i:i + columns] for c in pair]
        rows.append(row + [""] * (2 * columns - len(row)))
    label_w, value_w = 30 * mm, WIDTH / columns - 30 * mm
    return _table(rows, [label_w, value_w] * columns, header=False)


def _bullets(s: _Styles, items: list[str], empty: str) -> list:
    if not items:
        return [s.p(empty, s.sub)]
    return [s.marked(escape(item), s.bullet) for item in items]


def _identity(s: _Styles, memo: dict) -> list:
    who = memo["identity"]
    location = ", ".join(x for x in (who.get("city"), who.get("state")) if x) or "—"
    return [s.p("Borrower", s.h2), _key_values(s, [
        ("Business name", who.get("business_name")), ("Customer id", memo["customer_id"]),
        ("PAN", who.get("pan")), ("GSTIN", who.get("gstin")),
        ("Udyam number", who.get("udyam_number")), ("Constitution", who.get("constitution")),
        ("Industry", who.get("industry")), ("Location", location),
        ("Owner", who.get("owner_name")), ("Incorporated", who.get("incorporation_date")),
    ])]


def _decision(s: _Styles, memo: dict) -> list:
    decision, grade = memo["decision"], memo["risk_grade"]
    colour = DECISION_COLOURS.get(decision["code"], "#1b1f24")
    headline = (f'<font color="{colour}">{escape(decision["words"])}</font>'
                f'  ·  Risk grade {escape(grade["band"])} · PD {escape(grade["pd"])}'
                f'  ·  Credit score {escape(grade["scorecard"])} (300–900)')
    out = [s.p("Engine decision", s.h2), s.marked(headline, s.big), Spacer(1, 3),
           s.p(f"Decided {memo['decided_at']} by the credit policy version {decision['policy_version']} "
               f"(effective from {decision['policy_effective_from']})"
               + (f", decided by {decision['decided_by']}" if decision["decided_by"] else "")
               + f"; data as of {memo.get('as_of') or '—'}.", s.sub)]
    reasons = _table([[s.p("Reasons for", s.cell_bold), s.p("Reasons against", s.cell_bold)],
                      [_bullets(s, memo["reasons_for"], "None stated."),
                       _bullets(s, memo["reasons_against"], "None stated.")]], [WIDTH / 2] * 2)
    out += [Spacer(1, 5), reasons]
    if memo["conditions"]:
        out += [s.p("Conditions", s.h2), *_bullets(s, memo["conditions"], "")]
    return out


def _metrics(s: _Styles, memo: dict) -> list:
    rows = [[s.p("Metric", s.cell_bold), s.p("Value", s.cell_bold), s.p("Window", s.cell_bold)]]
    rows += [[s.p(m["label"], s.cell), s.p(m["value"], s.cell), s.p(m["window"], s.cell)] for m in memo["metrics"]]
    if len(rows) == 1:
        return [s.p("Key metrics", s.h2), s.p("No key metrics computed.", s.sub)]
    return [s.p("Key metrics", s.h2), _table(rows, [62 * mm, 42 * mm, WIDTH - 104 * mm])]


def _span(series: list[dict]) -> str:
    if not series:
        return ""
    return f"{month_label(series[0]['month'])} – {month_label(series[-1]['month'])}"


def _charts(s: _Styles, memo: dict) -> list:
    out = [s.p("Cash flows", s.h2)]
    if memo["flows"]:
        out.append(flows_chart(memo["flows"], WIDTH, s.fonts,
                               f"Monthly credits, debits and ABB, {_span(memo['flows'])}"))
    else:
        out.append(s.p("No bank statement analysed.", s.sub))
    if memo["gst"]:
        out.append(gst_chart(memo["gst"], WIDTH, s.fonts,
                             f"GST turnover vs bank business credits, {_span(memo['gst'])}"))
    else:
        out.append(s.p("No GST returns analysed.", s.sub))
    return out


def _offers(s: _Styles, memo: dict) -> list:
    out = [s.p("Offer" if len(memo["offers"]) <= 1 else "Offers (the headline offer first)", s.h2)]
    if not memo["offers"]:
        return out + [s.p("No offer: the engine did not approve a loan.", s.sub)]
    for offer in memo["offers"]:
        block = [s.marked(f"<b>{escape(offer['name'])}</b>"
                          + (f" ({escape(offer['structure'])})" if offer["structure"] else ""), s.body),
                 _key_values(s, [("Amount", f"{offer['amount']} ({offer['amount_words']})"),
                                 ("Tenure", offer["tenure"]), ("EMI", offer["emi"]),
                                 ("Annual rate", offer["rate"])])]
        if offer["build_up"]:
            parts = " + ".join(f"{label} {value}" for label, value in offer["build_up"])
            charged = f", charged {offer['rate']} (rounded up to the next 0.05%)" if offer["rounded"] else ""
            block.append(s.p(f"Rate build-up: {parts} = {offer['build_up_sum']}{charged}", s.cell))
        if offer["basis"]:
            block.append(s.p(f"Basis: {offer['basis']}", s.cell))
        if offer["conditions"]:
            block.append(s.p("Offer conditions: " + "; ".join(offer["conditions"]), s.cell))
        out += [KeepTogether(block), Spacer(1, 4)]
    collection = memo.get("collection") or {}
    if collection.get("method"):
        out.append(s.p(f"Collection: {collection['method']}, presented on day {collection.get('presentation_day', '—')}"
                       f", due on day {collection.get('due_day', '—')}. {collection.get('why', '')}", s.sub))
    return out


def _officer(s: _Styles, memo: dict) -> list:
    officer = memo["officer"]
    out = [s.p("Officer decision", s.h2)]
    if not officer:
        return out + [s.p("No officer decision recorded yet.", s.sub)]
    against = (f"Differs from the engine ({', '.join(officer['differences'])}): the engine said "
               f"{officer['engine_decision']} under policy {officer['policy_version']}."
               if officer["differs"] else
               f"Agrees with the engine ({officer['engine_decision']}, policy {officer['policy_version']}).")
    pairs = [("Decision", officer["decision"]), ("By", officer["by"]), ("When", officer["when"]),
             ("Amount", officer["amount"])]
    out += [_key_values(s, pairs), Spacer(1, 3), s.p(against, s.body)]
    if officer["reason"]:
        out.append(s.p(f"Reason: {officer['reason']}", s.body))
    if officer["conditions"]:
        out.append(s.p("Conditions: " + "; ".join(officer["conditions"]), s.body))
    if officer["note"]:
        out.append(s.p(f"Note: {officer['note']}", s.body))
    if officer["count"] > 1:
        out.append(s.p(f"The latest of {officer['count']} officer decisions on this case; the case history "
                       "lists every one.", s.sub))
    return out


def _model(s: _Styles, memo: dict) -> list:
    model, consent = memo["model"], memo.get("consent") or {}
    text = (f"Risk model {model['version']}: validation AUC {model['auc']}, KS {model['ks']}, Gini {model['gini']}, "
            f"Brier {model['brier']}.")
    if consent.get("consent_id"):
        text += f" Data read under AA consent {consent['consent_id']} (purpose {consent.get('purpose', '—')})."
    return [s.p("Model and consent", s.h2), s.p(text, s.sub)]


def render_credit_memo(memo: dict) -> bytes:
    """The memo as PDF bytes (A4)."""
    fonts = memo_fonts()
    s = _Styles(fonts)
    who = memo["identity"]
    name = who.get("business_name") or memo["customer_id"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=f"Credit memo: {name}",
                            author="MSME Lending Data Lake", subject=f"Credit memo for {memo['customer_id']}")
    footer = fonts.text(f"Credit memo · {name} · {memo['customer_id']} · policy {memo['decision']['policy_version']}")

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(fonts.regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN - 2 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 2 * mm, f"Page {document.page}")
        canvas.restoreState()

    story = [s.p(f"Credit memo: {name}", s.title),
             s.p(f"{memo['customer_id']} · prepared {memo['prepared_at']} from the engine's decision and the "
                 "officers' decisions on record", s.sub)]
    for section in (_identity, _decision, _offers, _officer, _metrics, _charts, _model):
        story += section(s, memo)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
