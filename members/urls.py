from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("member_list/", views.member_list, name="member.list"),
]
