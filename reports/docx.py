"""python-docx helpers for Chinese documents that open alike in Word, WPS and LibreOffice.

Word picks the font of CJK text from ``w:rFonts/@w:eastAsia``; python-docx's ``font.name`` only
sets the Latin attributes, so without the helpers below Chinese falls back to whatever the
reader's default is. Body text is 宋体 (SimSun), headings 黑体 (SimHei); Latin letters and digits
use Times New Roman / Arial. The theme-font attributes of the built-in heading styles are
removed, since a theme font wins over an explicit name.

Page: A4 with the margins of GB/T 9704 (党政机关公文格式): top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; a footer with the page number (a ``PAGE`` field, filled in by the reader).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_EAST_ASIA = "宋体"
BODY_LATIN = "Times New Roman"
HEADING_EAST_ASIA = "黑体"
HEADING_LATIN = "Arial"
BODY_SIZE = Pt(12)  # 小四
HEADING_SIZES = {1: Pt(16), 2: Pt(14), 3: Pt(12)}  # 三号, 四号, 小四
BLACK = RGBColor(0, 0, 0)


def set_fonts(element, east_asia: str, latin: str) -> None:
    """Set the Latin and East Asian fonts on a style's or a run's element (``style.element``,
    ``run._r``)."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def new_document(*, title: str = "", author: str = "") -> Document:
    """An A4 document whose Normal and heading styles carry East Asian fonts."""
    doc = Document()
    core = doc.core_properties
    core.title = title
    core.author = author
    core.last_modified_by = author
    core.language = "zh-CN"

    normal = doc.styles["Normal"]
    normal.font.name = BODY_LATIN
    normal.font.size = BODY_SIZE
    set_fonts(normal.element, BODY_EAST_ASIA, BODY_LATIN)
    _set_language(normal.element)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25

    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        style.font.name = HEADING_LATIN
        style.font.size = size
        style.font.bold = level > 1
        style.font.italic = False
        style.font.color.rgb = BLACK
        set_fonts(style.element, HEADING_EAST_ASIA, HEADING_LATIN)
        style.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(6)
    title_style = doc.styles["Title"]
    title_style.font.name = HEADING_LATIN
    title_style.font.size = Pt(26)
    title_style.font.color.rgb = BLACK
    set_fonts(title_style.element, HEADING_EAST_ASIA, HEADING_LATIN)
    _drop_border(title_style.element)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(18)
    return doc


def _set_language(style_element) -> None:
    rpr = style_element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _drop_border(style_element) -> None:
    """The default Title style draws a blue rule under the text; a cover does not want it."""
    ppr = style_element.find(qn("w:pPr"))
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


def _field(run, instruction: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``) to ``run``; the reader computes it."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


def add_footer(doc: Document, note: str = "", *, page_label: tuple[str, str, str] = ("第 ", " 页 / 共 ", " 页")):
    """A centred page number (``第 N 页 / 共 M 页``) and, below it, a small note (who exported when)."""
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    number = footer.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, middle, after = page_label
    number.add_run(before)
    _field(number.add_run(), "PAGE")
    number.add_run(middle)
    _field(number.add_run(), "NUMPAGES")
    number.add_run(after)
    for run in number.runs:
        run.font.size = Pt(9)
    if note:
        p = footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(note)
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    return footer


def paragraph(doc_or_cell, text: str = "", *, bold: bool = False, size=None, align=None, style=None):
    """A paragraph with one run; ``text`` may hold line breaks (kept as breaks, not new paragraphs)."""
    p = doc_or_cell.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    lines = (text or "").split("\n")
    run = p.add_run()
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        run.add_text(line)
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    return p


def text_block(doc, text: str, *, empty: str = "") -> None:
    """Multi-line text as one paragraph per line, first-line indented two characters."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        p = paragraph(doc, empty)
        for run in p.runs:
            run.italic = True
        return
    for line in lines:
        p = paragraph(doc, line)
        p.paragraph_format.first_line_indent = Pt(24)


def heading(doc, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _borders(table, size: int = 4) -> None:
    """Single black borders round and inside every cell (not the reader's default table style)."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        # Schema order: tblBorders comes before shd, tblLayout, tblCellMar and tblLook.
        later = [tbl_pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
        later = [e for e in later if e is not None]
        if later:
            later[0].addprevious(borders)
        else:
            tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def set_cell(cell, text, *, bold: bool = False, align=None, fill: str = "") -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    lines = str(text if text is not None else "").split("\n")
    run = p.add_run()
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        run.add_text(line)
    if bold:
        run.bold = True
    if fill:
        _shade(cell, fill)


def table(doc, rows: list[list], *, widths_mm: list[float] | None = None, header: bool = True):
    """A bordered table; the first row is a shaded, bold header (repeated on each page) if ``header``."""
    n_cols = max(len(r) for r in rows) if rows else 1
    t = doc.add_table(rows=len(rows), cols=n_cols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(t)
    for i, values in enumerate(rows):
        for j in range(n_cols):
            value = values[j] if j < len(values) else ""
            is_header = header and i == 0
            set_cell(
                t.cell(i, j),
                value,
                bold=is_header,
                align=WD_ALIGN_PARAGRAPH.CENTER if is_header else None,
                fill="EDEDED" if is_header else "",
            )
    if header and rows:
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    if widths_mm:
        set_widths(t, widths_mm)
    return t


def field_table(doc, pairs: list[tuple[str, str]], *, label_width_mm: float = 32, value_width_mm: float = 124):
    """Label/value rows (时间、地点…) with the labels shaded."""
    t = doc.add_table(rows=len(pairs), cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(t)
    for i, (label, value) in enumerate(pairs):
        set_cell(t.cell(i, 0), label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, fill="F2F2F2")
        set_cell(t.cell(i, 1), value)
    set_widths(t, [label_width_mm, value_width_mm])
    return t


def set_widths(t, widths_mm: list[float]) -> None:
    """Column widths on the grid (LibreOffice reads these) and on every cell (Word reads these)."""
    t.autofit = False
    for column, width in zip(t.columns, widths_mm, strict=False):
        column.width = Mm(width)
    for row in t.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def to_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def chinese_date(day) -> str:
    """``2025年3月5日`` (no leading zeros, as Chinese documents write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
