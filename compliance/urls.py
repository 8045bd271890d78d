from django.urls import path

from compliance.views import participation, rules

app_name = "compliance"

urlpatterns = [
    # Rules as data, the compliance table and export, the dashboards
    path("rules/", rules.rule_list, name="rule.list"),
    path("rules/new/", rules.rule_create, name="rule.create"),
    path("rules/study-day/", rules.rule_require_study_day, name="rule.require_study_day"),
    path("rules/<slug:code>/version/", rules.rule_version, name="rule.version"),
    path("rules/<slug:code>/retire/", rules.rule_retire, name="rule.retire"),
    path("rules/deadlines/<int:year>/", rules.deadline_set, name="deadline.set"),
    path("table/", rules.table, name="compliance.table"),
    path("table/export/", rules.export, name="compliance.export"),
    path("dashboard/", rules.dashboard, name="compliance.dashboard"),
    path("cell/", rules.cell, name="compliance.cell"),
    path("units/<int:pk>/", rules.unit_status, name="unit.status"),
    # Members' participation and lapse flags
    path("participation/branches/<int:pk>/", participation.branch, name="participation.branch"),
    path("participation/members/<int:pk>/", participation.member, name="participation.member"),
    path("participation/mine/", participation.mine, name="participation.mine"),
    path("participation/cadres/", participation.cadres, name="participation.cadres"),
]
