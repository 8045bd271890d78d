"""A user's own notifications: the list, marking one read (and following it), marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications import services
from notifications.context_processors import remember_unread
from notifications.models import Notification

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    only_unread = request.GET.get("unread") == "1"
    remember_unread(request)  # the badge is exact on this page
    qs = Notification.objects.filter(user=request.user).select_related("unit")
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = services.topic_labels()
    for n in page.object_list:
        n.topic_label = labels.get(n.topic, n.topic)
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "only_unread": only_unread, "has_unread": qs.filter(read_at__isnull=True).exists()},
    )


@require_POST
def notification_read(request, pk):
    """Mark one of the user's notifications read; ``next=open`` follows its link."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(notification)
    remember_unread(request)
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:notification.list")


@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    remember_unread(request)
    messages.success(request, _("已将 %(count)s 条提醒标为已读。") % {"count": count})
    return redirect("notifications:notification.list")
