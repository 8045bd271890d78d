"""Meeting records (the ledger of organisational life); joined into the meetings namespace."""

from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting.list"),
    # Without a unit: choose one; with a unit: the record form.
    path("new/", views.meeting_create, name="meeting.create"),
    path("units/<int:unit_id>/new/", views.meeting_create, name="meeting.create"),
    path("<int:pk>/", views.meeting_detail, name="meeting.detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting.edit"),
    path("<int:pk>/archive/", views.meeting_archive, name="meeting.archive"),
    path("<int:pk>/restore/", views.meeting_restore, name="meeting.restore"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment.upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment.download"),
    path("attachments/<int:pk>/archive/", views.attachment_archive, name="attachment.archive"),
    path("kinds/", views.kind_list, name="kind.list"),
    path("kinds/new/", views.kind_create, name="kind.create"),
]
