from django.urls import path

from study import views

app_name = "study"

urlpatterns = [
    path("", views.my_study, name="my"),
    path("records/", views.record_list, name="record.list"),
    path("records/new/", views.record_create, name="record.create"),
    path("records/<int:pk>/edit/", views.record_edit, name="record.edit"),
    path("records/<int:pk>/confirm/", views.record_confirm, name="record.confirm"),
    path("records/<int:pk>/return/", views.record_return, name="record.return"),
    path("records/<int:pk>/archive/", views.record_archive, name="record.archive"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("branches/<int:pk>/ledger/", views.ledger_branch, name="ledger.branch"),
    path("branches/<int:pk>/ledger/export/", views.ledger_export, name="ledger.export"),
    path("members/<int:pk>/ledger/", views.ledger_member, name="ledger.member"),
    path("years/", views.year_list, name="year.list"),
    path("years/<int:year>/", views.year_edit, name="year.edit"),
    path("branches/<int:pk>/study-day/", views.studyday_calendar, name="studyday.calendar"),
    path("branches/<int:pk>/study-day/edit/", views.studyday_edit, name="studyday.edit"),
    # Calendar apps cannot log in: the branch's feed secret in the URL is the key.
    path("feeds/<str:token>.ics", views.studyday_ical, name="studyday.ical"),
]
