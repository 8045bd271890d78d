from django.urls import path

from integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<int:pk>/", views.unit_signals, name="unit"),
    path("meetings/<int:pk>/", views.meeting_signals, name="meeting"),
    path("compare/", views.compare, name="compare"),
]
