from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("unit_tree/", views.unit_tree, name="unit.tree"),
]
