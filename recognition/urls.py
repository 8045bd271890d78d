from django.urls import path

from recognition import views, views_awards

app_name = "recognition"

urlpatterns = [
    # 五带头
    path("fiveleads/", views.fiveleads_list, name="fiveleads.list"),
    path("fiveleads/<int:member_id>/<int:year>/", views.fiveleads_detail, name="fiveleads.detail"),
    path("fiveleads/<int:member_id>/<int:year>/notes/", views.fiveleads_note, name="fiveleads.note"),
    path("fiveleads/notes/<int:pk>/archive/", views.note_archive, name="note.archive"),
    # Working-day calendar
    path("calendar/", views.calendar_list, name="calendar.list"),
    path("calendar/new/", views.calendar_edit, name="calendar.create"),
    path("calendar/<int:pk>/edit/", views.calendar_edit, name="calendar.edit"),
    # 四强
    path("fourstrong/", views_awards.fourstrong_list, name="fourstrong.list"),
    path("fourstrong/criteria/<int:year>/", views_awards.criteria, name="criteria"),
    path("fourstrong/criteria/<int:year>/defaults/", views_awards.criteria_defaults, name="criteria.defaults"),
    path("fourstrong/criterion/<int:pk>/edit/", views_awards.criterion_edit, name="criterion.edit"),
    path("fourstrong/criterion/<int:pk>/archive/", views_awards.criterion_archive, name="criterion.archive"),
    path("fourstrong/units/<int:unit_id>/apply/", views_awards.fourstrong_create, name="fourstrong.create"),
    path("fourstrong/<int:pk>/", views_awards.fourstrong_detail, name="fourstrong.detail"),
    path("fourstrong/<int:pk>/self/", views_awards.fourstrong_self, name="fourstrong.self"),
    path("fourstrong/<int:pk>/submit/", views_awards.fourstrong_submit, name="fourstrong.submit"),
    path("fourstrong/<int:pk>/return/", views_awards.fourstrong_return, name="fourstrong.return"),
    path("fourstrong/<int:pk>/review/", views_awards.fourstrong_review, name="fourstrong.review"),
    path("fourstrong/<int:pk>/notice/", views_awards.fourstrong_notice, name="fourstrong.notice"),
    path("fourstrong/<int:pk>/objection/", views_awards.fourstrong_objection, name="fourstrong.objection"),
    path("fourstrong/<int:pk>/name/", views_awards.fourstrong_name, name="fourstrong.name"),
    path("fourstrong/<int:pk>/reject/", views_awards.fourstrong_reject, name="fourstrong.reject"),
    # 党建示范点、党员示范岗
    path("nominations/", views_awards.nomination_list, name="nomination.list"),
    path("nominations/units/<int:unit_id>/new/", views_awards.nomination_create, name="nomination.create"),
    path("nominations/<int:pk>/", views_awards.nomination_detail, name="nomination.detail"),
    path("nominations/<int:pk>/open/", views_awards.nomination_open, name="nomination.open"),
    path("nominations/<int:pk>/score/", views_awards.nomination_score, name="nomination.score"),
    path("nominations/<int:pk>/decide/", views_awards.nomination_decide, name="nomination.decide"),
    path("nominations/<int:pk>/notice/", views_awards.nomination_notice, name="nomination.notice"),
    path("nominations/<int:pk>/objection/", views_awards.nomination_objection, name="nomination.objection"),
    path("nominations/<int:pk>/name/", views_awards.nomination_name, name="nomination.name"),
    path("nominations/<int:pk>/reject/", views_awards.nomination_reject, name="nomination.reject"),
    path("nominations/<int:pk>/certificate/", views_awards.nomination_certificate, name="nomination.certificate"),
]
