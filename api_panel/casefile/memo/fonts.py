"""The memo's typeface: DejaVu Sans when the machine has it (it carries the rupee sign ₹), else Helvetica with
"Rs." for the sign — a memo must never print a missing-glyph box where an amount's currency should be.

DejaVu Sans comes with Debian's ``fonts-dejavu-core`` (installed beside Chromium) and inside matplotlib's data
files; ``MEMO_FONT_DIR`` names another directory holding ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
_lock = threading.Lock()
_chosen: "MemoFonts | None" = None


@dataclass(frozen=True)
class MemoFonts:
    """The registered font names and how the rupee sign is written with them."""

    regular: str
    bold: str
    rupee: str

    def text(self, value: str) -> str:
        """``value`` with the rupee sign as this font can print it."""
        return value if self.rupee == "₹" else value.replace("₹", self.rupee)


def _candidate_dirs() -> list[Path]:
    dirs = [Path(os.environ["MEMO_FONT_DIR"])] if os.environ.get("MEMO_FONT_DIR") else []
    dirs += [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF")]
    spec = importlib.util.find_spec("matplotlib")  # located, never imported
    if spec and spec.submodule_search_locations:
        dirs += [Path(p) / "mpl-data" / "fonts" / "ttf" for p in spec.submodule_search_locations]
    return dirs


def memo_fonts() -> MemoFonts:
    """Register DejaVu Sans with ReportLab once per process (or fall back to Helvetica) and say which."""
    global _chosen
    with _lock:
        if _chosen is None:
            _chosen = _register()
        return _chosen


def _register() -> MemoFonts:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in _candidate_dirs():
        regular, bold = folder / REGULAR, folder / BOLD
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("MemoSans", str(regular)))
                pdfmetrics.registerFont(TTFont("MemoSans-Bold", str(bold)))
            except Exception:  # noqa: BLE001 - an unreadable font file: try the next place
                continue
            pdfmetrics.registerFontFamily("MemoSans", normal="MemoSans", bold="MemoSans-Bold",
                                          italic="MemoSans", boldItalic="MemoSans-Bold")
            return MemoFonts("MemoSans", "MemoSans-Bold", "₹")
    return MemoFonts("Helvetica", "Helvetica-Bold", "Rs. ")
