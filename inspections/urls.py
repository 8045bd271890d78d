from django.urls import path

from inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection.list"),
    path("new/", views.inspection_create, name="inspection.create"),
    path("<int:pk>/", views.inspection_detail, name="inspection.detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="inspection.edit"),
    path("<int:pk>/advance/", views.inspection_advance, name="inspection.advance"),
    path("<int:pk>/report.docx", views.report_download, name="report.download"),
    path("<int:pk>/draws/new/", views.draw_create, name="draw.create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw.detail"),
    path("draws/<int:pk>/repeat/", views.draw_repeat, name="draw.repeat"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding.create"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding.edit"),
    path("findings/<int:pk>/raise/", views.finding_raise, name="finding.raise"),
]
