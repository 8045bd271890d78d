from django.urls import path

from committees import views

app_name = "committees"

urlpatterns = [
    path("terms/", views.term_list, name="term.list"),
    path("branches/<int:unit_id>/terms/new/", views.term_create, name="term.create"),
    path("terms/<int:pk>/", views.term_detail, name="term.detail"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term.edit"),
    path("terms/<int:pk>/submit/", views.term_submit, name="term.submit"),
    path("terms/<int:pk>/approve/", views.term_approve, name="term.approve"),
    path("terms/<int:pk>/return/", views.term_return, name="term.return"),
    path("terms/<int:pk>/archive/", views.term_archive, name="term.archive"),
    path("terms/<int:pk>/restore/", views.term_restore, name="term.restore"),
    path("duties/", views.duty_list, name="duty.list"),
    path("duties/<slug:role>/edit/", views.duty_edit, name="duty.edit"),
]
