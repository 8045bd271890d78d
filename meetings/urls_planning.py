from django.urls import path

from meetings import views_planning as views

urlpatterns = [
    path("units/<int:pk>/plan/", views.plan_list, name="plan.list"),
    path("units/<int:pk>/plan/new/", views.plan_create, name="plan.create"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan.edit"),
    path("plans/<int:pk>/archive/", views.plan_archive, name="plan.archive"),
    path("plans/<int:pk>/restore/", views.plan_restore, name="plan.restore"),
    path("units/<int:pk>/calendar/", views.plan_calendar, name="plan.calendar"),
    path("calendar/", views.committee_calendar, name="plan.committee_calendar"),
    path("units/<int:pk>/feed-token/", views.feed_token, name="plan.feed_token"),
    # Calendar apps cannot log in: the secret token in the URL is the key.
    path("feeds/<str:token>.ics", views.plan_ical, name="plan.ical"),
]
