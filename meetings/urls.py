from django.urls import path

from meetings.views import planning, records

app_name = "meetings"

urlpatterns = [
    # Records: the ledger of organisational life
    path("", records.meeting_list, name="meeting.list"),
    # Without a unit: choose one; with a unit: the record form.
    path("new/", records.meeting_create, name="meeting.create"),
    path("units/<int:unit_id>/new/", records.meeting_create, name="meeting.create"),
    path("<int:pk>/", records.meeting_detail, name="meeting.detail"),
    path("<int:pk>/edit/", records.meeting_edit, name="meeting.edit"),
    path("<int:pk>/archive/", records.meeting_archive, name="meeting.archive"),
    path("<int:pk>/restore/", records.meeting_restore, name="meeting.restore"),
    path("<int:pk>/attachments/", records.attachment_upload, name="attachment.upload"),
    path("attachments/<int:pk>/", records.attachment_download, name="attachment.download"),
    path("attachments/<int:pk>/archive/", records.attachment_archive, name="attachment.archive"),
    path("kinds/", records.kind_list, name="kind.list"),
    path("kinds/new/", records.kind_create, name="kind.create"),
    # Planning: yearly plans, calendars, iCalendar feeds
    path("units/<int:pk>/plan/", planning.plan_list, name="plan.list"),
    path("units/<int:pk>/plan/new/", planning.plan_create, name="plan.create"),
    path("plans/<int:pk>/edit/", planning.plan_edit, name="plan.edit"),
    path("plans/<int:pk>/archive/", planning.plan_archive, name="plan.archive"),
    path("plans/<int:pk>/restore/", planning.plan_restore, name="plan.restore"),
    path("units/<int:pk>/calendar/", planning.plan_calendar, name="plan.calendar"),
    path("calendar/", planning.committee_calendar, name="plan.committee_calendar"),
    path("units/<int:pk>/feed-token/", planning.feed_token, name="plan.feed_token"),
    # Calendar apps cannot log in: the secret token in the URL is the key.
    path("feeds/<str:token>.ics", planning.plan_ical, name="plan.ical"),
]
