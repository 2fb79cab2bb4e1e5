"""Renders an Agreement to PDF with reportlab, the CJK font embedded (subset) so that it looks the same on every
reader and in 20 years. Deterministic: the same agreement and font give the same bytes (reportlab's invariant
mode fixes its ids and dates), so the sha256 shown to the customer identifies the text they reviewed.

The font is WenQuanYi Micro Hei (Apache 2.0 / GPLv3 with font exception), from Debian's fonts-wqy-microhei:
installed by `make` from system-packages.txt and copied into the Lambda package by infra/package.sh."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..domain.contract import Agreement

FONT_NAME = "WQYMicroHei"
FONT_CANDIDATES = (Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc",  # in the Lambda package
                   Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))  # Debian's fonts-wqy-microhei


class ContractFontMissingError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font() -> tuple[str, str]:
    """(registered name, sha256 of the font file) - the hash is recorded with each contract."""
    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            return FONT_NAME, hashlib.sha256(path.read_bytes()).hexdigest()
    raise ContractFontMissingError("no CJK font: run `make` (installs fonts-wqy-microhei) or package with it")


def render_agreement(agreement: Agreement) -> bytes:
    name, _ = font()
    rl_config.invariant = 1  # fixed document id and dates: byte-identical output for the same input
    body = ParagraphStyle("body", fontName=name, bulletFontName=name, fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=17, spaceBefore=4)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER)
    out = io.BytesIO()
    # every page and cell starts in our font, so the file names no font it does not embed (Helvetica otherwise)
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=name, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=agreement.title, author="lending backend",
                            subject=agreement.contract_no, creator=agreement.template_version)
    story: list = [Paragraph(escape(agreement.title), title),
                   Paragraph(escape(f"合同编号：{agreement.contract_no}"), body), Spacer(1, 4 * mm)]
    rows = [[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in agreement.key_terms]
    table = Table(rows, colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), name)]))
    story += [table, Spacer(1, 4 * mm)]
    for head, text in agreement.clauses:
        story += [Paragraph(escape(head), heading), Paragraph(escape(text), body)]
    story.append(Spacer(1, 8 * mm))
    story += [Paragraph(escape(line), body) for line in agreement.signature_block]
    doc.build(story)
    return out.getvalue()
