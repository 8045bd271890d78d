"""Document downloads: the minutes book (会议记录本) of a unit and year, a meeting's notice.

Both are GET only, fetched through ``reports.permissions`` (out of scope: 404), sent as
attachments with ``Cache-Control: no-store`` and logged by the services.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.downloads import attachment_header
from reports import minutes_book, notice, permissions, services
from reports.docx import DOCX_CONTENT_TYPE
from reports.forms import MinutesBookForm


def _docx_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename, fallback)
    return response


@never_cache
@require_GET
def minutes_book_view(request):
    """Without ``unit``: a page to choose the unit and year. With it: the .docx."""
    user = request.user
    units = permissions.book_units(user).order_by("path")
    if not units.exists():
        raise Http404
    if "unit" not in request.GET:
        return render(request, "reports/minutes_book_form.html", {"form": MinutesBookForm(units=units)})
    unit = permissions.get_unit_or_404(user, request.GET.get("unit"))
    form = MinutesBookForm(request.GET, units=units)
    if not form.is_valid():
        return render(request, "reports/minutes_book_form.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    content, _count = services.export_minutes_book(unit, year, actor=user)
    return _docx_response(content, minutes_book.filename(unit, year), f"minutes-book-{unit.pk}-{year}.docx")


@never_cache
@require_GET
def notice_view(request, pk: int):
    meeting = permissions.get_meeting_or_404(request.user, pk)
    content = services.export_notice(meeting, actor=request.user)
    return _docx_response(content, notice.filename(meeting), f"meeting-notice-{meeting.pk}.docx")
