from django.urls import path

from assessments.views import duty, sets

app_name = "assessments"

urlpatterns = [
    # Years and their indicator trees
    path("", sets.set_list, name="set.list"),
    path("new/", sets.set_create, name="set.create"),
    path("<int:year>/", sets.set_detail, name="set.detail"),
    path("<int:year>/bands/", sets.set_bands, name="set.bands"),
    path("<int:year>/indicators/new/", sets.indicator_create, name="indicator.create"),
    path("indicators/<int:pk>/edit/", sets.indicator_edit, name="indicator.edit"),
    path("indicators/<int:pk>/archive/", sets.indicator_archive, name="indicator.archive"),
    path("<int:year>/recompute/", sets.set_recompute, name="set.recompute"),
    path("<int:year>/publish/", sets.set_publish, name="set.publish"),
    # Results
    path("<int:year>/ranking/", sets.assessment_ranking, name="assessment.ranking"),
    path("<int:year>/export/", sets.assessment_export, name="assessment.export"),
    path("results/<int:pk>/", sets.assessment_detail, name="assessment.detail"),
    path("results/<int:pk>/report/", sets.assessment_report, name="assessment.report"),
    path("scores/<int:pk>/", sets.score_edit, name="score.edit"),
    # 述职评议
    path("duty/", duty.duty_list, name="duty.list"),
    path("duty/new/", duty.duty_create, name="duty.create"),
    path("duty/<int:pk>/", duty.duty_detail, name="duty.detail"),
    path("duty/<int:pk>/edit/", duty.duty_edit, name="duty.edit"),
    path("duty/<int:pk>/submit/", duty.duty_submit, name="duty.submit"),
    path("duty/<int:pk>/vote/", duty.duty_vote, name="duty.vote"),
    path("duty/<int:pk>/close/", duty.duty_close, name="duty.close"),
    path("duty/<int:pk>/attachments/", duty.attachment_upload, name="attachment.upload"),
    path("duty/attachments/<int:pk>/", duty.attachment_download, name="attachment.download"),
]
