from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("committees/", include("committees.urls")),
    path("ledger/", include("ledger.urls")),
    path("meetings/", include("meetings.urls")),
    path("lifemeetings/", include("lifemeetings.urls")),
    path("compliance/", include("compliance.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("rectification/", include("rectification.urls")),
    path("inspections/", include("inspections.urls")),
    path("integrity/", include("integrity.urls")),
    path("study/", include("study.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("assessments/", include("assessments.urls")),
    path("recognition/", include("recognition.urls")),
    # Language choice must work before logging in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
