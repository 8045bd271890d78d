from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member.list"),
    path("export/", views.member_export, name="member.export"),
    path("new/", views.member_create, name="member.create"),
    path("<int:pk>/", views.member_detail, name="member.detail"),
    path("<int:pk>/edit/", views.member_edit, name="member.edit"),
    path("<int:pk>/transfer/", views.member_transfer, name="member.transfer"),
    path("<int:pk>/archive/", views.member_archive, name="member.archive"),
    path("<int:pk>/restore/", views.member_restore, name="member.restore"),
    path("<int:pk>/reveal/", views.member_reveal, name="member.reveal"),
]
