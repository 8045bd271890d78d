"""The honour certificate (荣誉证书) of a named demonstration site or model post, as .docx.

A formal one-page layout: the title 荣誉证书 large and centred, the citation naming the holder,
the honour and the year, then the issuing committee and the date at the right; who exported it
and when in the footer (reports.docx helpers keep the Chinese fonts right in Word, WPS and
LibreOffice)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from reports import docx as d


def _issuer(unit) -> str:
    """The committee above the branch (the tree's root), which names the honour."""
    node = unit
    while node.parent_id is not None:
        node = node.parent
    return node.name


def certificate_docx(n, *, exported_by, exported_at) -> bytes:
    holder = n.member.name if n.member_id else n.unit.name
    honour = n.get_kind_display()
    doc = d.new_document(title=_("荣誉证书"), author=str(exported_by))
    for _i in range(3):
        d.paragraph(doc, "")
    d.paragraph(doc, _("荣誉证书"), bold=True, size=Pt(36), align=WD_ALIGN_PARAGRAPH.CENTER)
    for _i in range(2):
        d.paragraph(doc, "")
    who = _("%(holder)s 同志：") if n.member_id else _("%(holder)s：")
    d.paragraph(doc, who % {"holder": holder}, size=Pt(18))
    citation = d.paragraph(
        doc,
        _("被评为%(year)s年度“%(honour)s”（%(title)s）。特发此证，以资鼓励。")
        % {"year": n.year, "honour": honour, "title": n.title},
        size=Pt(18),
    )
    citation.paragraph_format.first_line_indent = Pt(36)
    citation.paragraph_format.line_spacing = 1.8
    if n.member_id:
        d.paragraph(doc, _("所在党支部：%(unit)s") % {"unit": n.unit.name}, size=Pt(14))
    for _i in range(4):
        d.paragraph(doc, "")
    d.paragraph(doc, _issuer(n.unit), size=Pt(16), align=WD_ALIGN_PARAGRAPH.RIGHT)
    d.paragraph(doc, d.chinese_date(n.named_on), size=Pt(16), align=WD_ALIGN_PARAGRAPH.RIGHT)
    d.add_footer(
        doc,
        _("导出人：%(user)s　导出时间：%(time)s")
        % {
            "user": exported_by.get_full_name() or exported_by.get_username(),
            "time": exported_at.strftime("%Y-%m-%d %H:%M"),
        },
    )
    return d.to_bytes(doc)
