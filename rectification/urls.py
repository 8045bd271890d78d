from django.urls import path

from rectification.views import appraisal, items

app_name = "rectification"

urlpatterns = [
    # The ledger: committee-wide, or one branch's.
    path("", items.item_list, name="item.list"),
    path("units/<int:unit_id>/", items.item_list, name="item.branch"),
    path("export/", items.item_export, name="item.export"),
    path("new/", items.item_create, name="item.create"),
    path("units/<int:unit_id>/new/", items.item_create, name="item.create"),
    path("<int:pk>/", items.item_detail, name="item.detail"),
    path("<int:pk>/edit/", items.item_edit, name="item.edit"),
    path("<int:pk>/move/", items.item_move, name="item.move"),
    path("<int:pk>/archive/", items.item_archive, name="item.archive"),
    path("<int:pk>/restore/", items.item_restore, name="item.restore"),
    path("<int:pk>/evidence/", items.evidence_upload, name="evidence.upload"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence.download"),
    # 民主评议党员
    path("appraisals/", appraisal.round_list, name="round.list"),
    path("appraisals/new/", appraisal.round_create, name="round.create"),
    path("appraisals/units/<int:unit_id>/new/", appraisal.round_create, name="round.create"),
    path("appraisals/<int:pk>/", appraisal.round_detail, name="round.detail"),
    path("appraisals/<int:pk>/open/", appraisal.round_open, name="round.open"),
    path("appraisals/<int:pk>/close/", appraisal.round_close, name="round.close"),
    path("appraisals/<int:pk>/decide/", appraisal.round_decide, name="round.decide"),
    path("appraisals/<int:pk>/self/", appraisal.round_self, name="round.self"),
    path("appraisals/<int:pk>/vote/", appraisal.round_vote, name="round.vote"),
    path("appraisals/<int:pk>/archive/", appraisal.round_archive, name="round.archive"),
    path("appraisals/<int:pk>/restore/", appraisal.round_restore, name="round.restore"),
]
