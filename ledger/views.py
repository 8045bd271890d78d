"""台账导入: the import page and the template download. Committee staff only."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ledger.forms import ImportForm
from ledger.permissions import can
from ledger.services import LedgerImportError, import_ledger, max_bytes, too_large_message
from ledger.template import build_template

# Room for the multipart envelope around the file when judging a request by its length.
MULTIPART_OVERHEAD = 64 * 1024
LAST_RESULT_KEY = "ledger_last_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, action):
    # The ledger is committee-level: to anyone else it does not exist.
    if not can(request.user, action):
        raise Http404


@require_http_methods(["GET", "POST"])
def import_page(request):
    _require(request, "import")
    context = {"max_bytes": max_bytes(), "errors": None, "fatal": "", "result": None}
    if request.method == "GET":
        context["form"] = ImportForm()
        context["result"] = request.session.pop(LAST_RESULT_KEY, None)
        return render(request, "ledger/ledger_import.html", context)

    # Refuse an oversized upload by its declared length, before Django reads the body.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > max_bytes() + MULTIPART_OVERHEAD:
        context["form"] = ImportForm()
        context["fatal"] = too_large_message(length)
        return render(request, "ledger/ledger_import.html", context)

    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "ledger/ledger_import.html", context)
    try:
        result = import_ledger(form.cleaned_data["file"], actor=request.user)
    except LedgerImportError as exc:
        context["errors"] = exc.rows
        context["fatal"] = str(exc)
        return render(request, "ledger/ledger_import.html", context)
    request.session[LAST_RESULT_KEY] = {
        "filename": result.filename,
        "sheets": [
            {"name": s.name, "label": s.label, "rows": s.rows, "added": s.added, "present": s.present}
            for s in result.sheets
        ],
    }
    if result.added:
        messages.success(
            request,
            _("台账“%(file)s”导入完成：新增%(added)s条，已存在%(present)s条。")
            % {"file": result.filename, "added": result.added, "present": result.present},
        )
    else:
        messages.info(
            request,
            _("台账“%(file)s”中的数据都已在系统中（或没有数据行），没有新增任何内容。") % {"file": result.filename},
        )
    return redirect("ledger:import")


@require_GET
def template_download(request):
    _require(request, "template")
    return FileResponse(
        io.BytesIO(build_template()), as_attachment=True, filename=_("台账导入模板.xlsx"), content_type=XLSX
    )
