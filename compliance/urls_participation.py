from django.urls import path

from compliance import views_participation as views

urlpatterns = [
    path("participation/branches/<int:pk>/", views.branch, name="participation.branch"),
    path("participation/members/<int:pk>/", views.member, name="participation.member"),
    path("participation/mine/", views.mine, name="participation.mine"),
    path("participation/cadres/", views.cadres, name="participation.cadres"),
]
