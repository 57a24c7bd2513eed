"""The memo's two charts, drawn as vector graphics with ReportLab (no plotting library, no images):
monthly credits and debits with the ABB, and GST turnover against bank business credits. Values are plotted in
lakh of rupees, the unit an officer reads them in."""
from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from api_panel.casefile.memo.content import month_label
from api_panel.casefile.memo.fonts import MemoFonts

LAKH = 100_000
CREDIT, DEBIT, LINE, GST = colors.HexColor("#2f7d4f"), colors.HexColor("#c0504d"), colors.HexColor("#1f4e79"), \
    colors.HexColor("#8064a2")


def _lakh(values: list[float | None]) -> list[float]:
    return [round((v or 0.0) / LAKH, 2) for v in values]


def _short_month(month: str) -> str:
    label = month_label(month)  # "Nov 2026" -> "Nov 26"
    return f"{label[:3]} {label[-2:]}" if len(label) == 8 else label


def _frame(width: float, height: float, title: str, fonts: MemoFonts) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, fonts.text(title), fontName=fonts.bold, fontSize=9))
    drawing.add(String(0, height - 24, fonts.text("₹ lakh"), fontName=fonts.regular, fontSize=7,
                       fillColor=colors.grey))
    return drawing


def _axes(chart, labels: list[str], top: float, font: str) -> None:
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 45
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.visibleGrid = True


def _top(*series: list[float]) -> float:
    peak = max((v for s in series for v in s), default=0.0)
    return max(1.0, peak * 1.12)


def _legend(drawing: Drawing, x: float, y: float, items: list[tuple[Any, str]], font: str) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.colorNamePairs = items
    drawing.add(legend)


def flows_chart(flows: list[dict], width: float, fonts: MemoFonts, title: str) -> Drawing:
    """Monthly credits and debits (bars) with the average bank balance (line), in lakh."""
    height, font = 190, fonts.regular
    drawing = _frame(width, height, title, fonts)
    labels = [_short_month(f["month"]) for f in flows]
    credits, debits, abb = (_lakh([f.get(k) for f in flows]) for k in ("credits", "debits", "abb"))
    top = _top(credits, debits, abb)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 36, 42, width - 50, height - 82
    bars.data = [credits, debits]
    bars.bars[0].fillColor, bars.bars[1].fillColor = CREDIT, DEBIT
    bars.bars.strokeColor = None
    bars.groupSpacing, bars.barSpacing = 4, 0.5
    _axes(bars, labels, top, font)
    drawing.add(bars)
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = bars.x, bars.y, bars.width, bars.height
    line.data = [abb]
    line.lines[0].strokeColor, line.lines[0].strokeWidth = LINE, 1.5
    line.joinedLines = 1
    _axes(line, labels, top, font)
    line.categoryAxis.visible = line.valueAxis.visible = False
    line.valueAxis.visibleGrid = False
    drawing.add(line)
    _legend(drawing, width - 270, height - 10, [(CREDIT, "Credits"), (DEBIT, "Debits"), (LINE, "ABB")], font)
    return drawing


def gst_chart(gst: list[dict], width: float, fonts: MemoFonts, title: str) -> Drawing:
    """GST turnover (GSTR-3B) against bank business credits, month by month, in lakh."""
    height, font = 180, fonts.regular
    drawing = _frame(width, height, title, fonts)
    labels = [_short_month(g["month"]) for g in gst]
    turnover, bank = _lakh([g.get("turnover") for g in gst]), _lakh([g.get("bank") for g in gst])
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = 36, 42, width - 50, height - 72
    line.data = [turnover, bank]
    line.lines[0].strokeColor, line.lines[1].strokeColor = GST, CREDIT
    line.lines[0].strokeWidth = line.lines[1].strokeWidth = 1.5
    line.joinedLines = 1
    _axes(line, labels, _top(turnover, bank), font)
    drawing.add(line)
    _legend(drawing, width - 190, height - 10, [(GST, "GST turnover"), (CREDIT, "Bank business credits")], font)
    return drawing
