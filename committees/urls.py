from django.urls import path

from committees import views

app_name = "committees"

urlpatterns = [
    path("term_list/", views.term_list, name="term.list"),
    path("duty_list/", views.duty_list, name="duty.list"),
]
