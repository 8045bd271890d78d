import io

from docx import Document
from docx.oxml.ns import qn


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def all_text(doc) -> str:
    """Every paragraph's and table cell's text, in document order, one per line."""
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def footer_text(doc) -> str:
    return "\n".join(p.text for p in doc.sections[0].footer.paragraphs)


def footer_fields(doc) -> list[str]:
    footer = doc.sections[0].footer._element
    return [t.text.strip() for t in footer.iter(qn("w:instrText"))]


def style_fonts(doc, style_name: str) -> dict[str, str]:
    fonts = doc.styles[style_name].element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}
