from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common import permissions


@require_GET
def home(request):
    return render(request, "common/home.html", {})


@require_GET
def audit_list(request):
    if not permissions.can_read_log(request.user):
        raise Http404
    entries = permissions.visible_entries(request.user).select_related("actor", "content_type")[:200]
    return render(request, "common/audit_list.html", {"entries": entries})
