from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("units/", views.unit_tree, name="unit.tree"),
    path("units/new/", views.unit_create, name="unit.create"),
    path("units/<int:pk>/", views.unit_detail, name="unit.detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit.edit"),
    path("units/<int:pk>/dissolve/", views.unit_dissolve, name="unit.dissolve"),
    path("units/<int:pk>/archive/", views.unit_archive, name="unit.archive"),
    path("units/<int:pk>/restore/", views.unit_restore, name="unit.restore"),
]
