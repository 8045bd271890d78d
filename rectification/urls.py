from django.urls import path

from rectification import views, views_appraisal

app_name = "rectification"

urlpatterns = [
    # The ledger: committee-wide, or one branch's.
    path("", views.item_list, name="item.list"),
    path("units/<int:unit_id>/", views.item_list, name="item.branch"),
    path("export/", views.item_export, name="item.export"),
    path("new/", views.item_create, name="item.create"),
    path("units/<int:unit_id>/new/", views.item_create, name="item.create"),
    path("<int:pk>/", views.item_detail, name="item.detail"),
    path("<int:pk>/edit/", views.item_edit, name="item.edit"),
    path("<int:pk>/move/", views.item_move, name="item.move"),
    path("<int:pk>/archive/", views.item_archive, name="item.archive"),
    path("<int:pk>/restore/", views.item_restore, name="item.restore"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence.upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence.download"),
    # 民主评议党员
    path("appraisals/", views_appraisal.round_list, name="round.list"),
    path("appraisals/new/", views_appraisal.round_create, name="round.create"),
    path("appraisals/units/<int:unit_id>/new/", views_appraisal.round_create, name="round.create"),
    path("appraisals/<int:pk>/", views_appraisal.round_detail, name="round.detail"),
    path("appraisals/<int:pk>/open/", views_appraisal.round_open, name="round.open"),
    path("appraisals/<int:pk>/close/", views_appraisal.round_close, name="round.close"),
    path("appraisals/<int:pk>/decide/", views_appraisal.round_decide, name="round.decide"),
    path("appraisals/<int:pk>/self/", views_appraisal.round_self, name="round.self"),
    path("appraisals/<int:pk>/vote/", views_appraisal.round_vote, name="round.vote"),
    path("appraisals/<int:pk>/archive/", views_appraisal.round_archive, name="round.archive"),
    path("appraisals/<int:pk>/restore/", views_appraisal.round_restore, name="round.restore"),
]
