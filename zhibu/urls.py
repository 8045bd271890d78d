from django.urls import include, path

urlpatterns = [
    path("", include("common.urls")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("committees/", include("committees.urls")),
    path("ledger/", include("ledger.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
