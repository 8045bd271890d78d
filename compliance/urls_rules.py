"""Rules as data, the compliance table and export, the dashboards; joined into "compliance"."""

from django.urls import path

from compliance import views

urlpatterns = [
    path("rules/", views.rule_list, name="rule.list"),
    path("rules/new/", views.rule_create, name="rule.create"),
    path("rules/study-day/", views.rule_require_study_day, name="rule.require_study_day"),
    path("rules/<slug:code>/version/", views.rule_version, name="rule.version"),
    path("rules/<slug:code>/retire/", views.rule_retire, name="rule.retire"),
    path("rules/deadlines/<int:year>/", views.deadline_set, name="deadline.set"),
    path("table/", views.table, name="compliance.table"),
    path("table/export/", views.export, name="compliance.export"),
    path("dashboard/", views.dashboard, name="compliance.dashboard"),
    path("cell/", views.cell, name="compliance.cell"),
    path("units/<int:pk>/", views.unit_status, name="unit.status"),
]
