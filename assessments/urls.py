from django.urls import path

from assessments import views, views_duty

app_name = "assessments"

urlpatterns = [
    # Years and their indicator trees
    path("", views.set_list, name="set.list"),
    path("new/", views.set_create, name="set.create"),
    path("<int:year>/", views.set_detail, name="set.detail"),
    path("<int:year>/bands/", views.set_bands, name="set.bands"),
    path("<int:year>/indicators/new/", views.indicator_create, name="indicator.create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator.edit"),
    path("indicators/<int:pk>/archive/", views.indicator_archive, name="indicator.archive"),
    path("<int:year>/recompute/", views.set_recompute, name="set.recompute"),
    path("<int:year>/publish/", views.set_publish, name="set.publish"),
    # Results
    path("<int:year>/ranking/", views.assessment_ranking, name="assessment.ranking"),
    path("<int:year>/export/", views.assessment_export, name="assessment.export"),
    path("results/<int:pk>/", views.assessment_detail, name="assessment.detail"),
    path("results/<int:pk>/report/", views.assessment_report, name="assessment.report"),
    path("scores/<int:pk>/", views.score_edit, name="score.edit"),
    # 述职评议
    path("duty/", views_duty.duty_list, name="duty.list"),
    path("duty/new/", views_duty.duty_create, name="duty.create"),
    path("duty/<int:pk>/", views_duty.duty_detail, name="duty.detail"),
    path("duty/<int:pk>/edit/", views_duty.duty_edit, name="duty.edit"),
    path("duty/<int:pk>/submit/", views_duty.duty_submit, name="duty.submit"),
    path("duty/<int:pk>/vote/", views_duty.duty_vote, name="duty.vote"),
    path("duty/<int:pk>/close/", views_duty.duty_close, name="duty.close"),
    path("duty/<int:pk>/attachments/", views_duty.attachment_upload, name="attachment.upload"),
    path("duty/attachments/<int:pk>/", views_duty.attachment_download, name="attachment.download"),
]
