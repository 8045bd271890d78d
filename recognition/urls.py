from django.urls import path

from recognition.views import awards, fiveleads

app_name = "recognition"

urlpatterns = [
    # 五带头
    path("fiveleads/", fiveleads.fiveleads_list, name="fiveleads.list"),
    path("fiveleads/<int:member_id>/<int:year>/", fiveleads.fiveleads_detail, name="fiveleads.detail"),
    path("fiveleads/<int:member_id>/<int:year>/notes/", fiveleads.fiveleads_note, name="fiveleads.note"),
    path("fiveleads/notes/<int:pk>/archive/", fiveleads.note_archive, name="note.archive"),
    # Working-day calendar
    path("calendar/", fiveleads.calendar_list, name="calendar.list"),
    path("calendar/new/", fiveleads.calendar_edit, name="calendar.create"),
    path("calendar/<int:pk>/edit/", fiveleads.calendar_edit, name="calendar.edit"),
    # 四强
    path("fourstrong/", awards.fourstrong_list, name="fourstrong.list"),
    path("fourstrong/criteria/<int:year>/", awards.criteria, name="criteria"),
    path("fourstrong/criteria/<int:year>/defaults/", awards.criteria_defaults, name="criteria.defaults"),
    path("fourstrong/criterion/<int:pk>/edit/", awards.criterion_edit, name="criterion.edit"),
    path("fourstrong/criterion/<int:pk>/archive/", awards.criterion_archive, name="criterion.archive"),
    path("fourstrong/units/<int:unit_id>/apply/", awards.fourstrong_create, name="fourstrong.create"),
    path("fourstrong/<int:pk>/", awards.fourstrong_detail, name="fourstrong.detail"),
    path("fourstrong/<int:pk>/self/", awards.fourstrong_self, name="fourstrong.self"),
    path("fourstrong/<int:pk>/submit/", awards.fourstrong_submit, name="fourstrong.submit"),
    path("fourstrong/<int:pk>/return/", awards.fourstrong_return, name="fourstrong.return"),
    path("fourstrong/<int:pk>/review/", awards.fourstrong_review, name="fourstrong.review"),
    path("fourstrong/<int:pk>/notice/", awards.fourstrong_notice, name="fourstrong.notice"),
    path("fourstrong/<int:pk>/objection/", awards.fourstrong_objection, name="fourstrong.objection"),
    path("fourstrong/<int:pk>/name/", awards.fourstrong_name, name="fourstrong.name"),
    path("fourstrong/<int:pk>/reject/", awards.fourstrong_reject, name="fourstrong.reject"),
    # 党建示范点、党员示范岗
    path("nominations/", awards.nomination_list, name="nomination.list"),
    path("nominations/units/<int:unit_id>/new/", awards.nomination_create, name="nomination.create"),
    path("nominations/<int:pk>/", awards.nomination_detail, name="nomination.detail"),
    path("nominations/<int:pk>/open/", awards.nomination_open, name="nomination.open"),
    path("nominations/<int:pk>/score/", awards.nomination_score, name="nomination.score"),
    path("nominations/<int:pk>/decide/", awards.nomination_decide, name="nomination.decide"),
    path("nominations/<int:pk>/notice/", awards.nomination_notice, name="nomination.notice"),
    path("nominations/<int:pk>/objection/", awards.nomination_objection, name="nomination.objection"),
    path("nominations/<int:pk>/name/", awards.nomination_name, name="nomination.name"),
    path("nominations/<int:pk>/reject/", awards.nomination_reject, name="nomination.reject"),
    path("nominations/<int:pk>/certificate/", awards.nomination_certificate, name="nomination.certificate"),
]
