"""组织生活会 package: before the meeting (talks, coverage, materials), at it (criticism,
problems), and the rectification items raised from it."""

from django.urls import path

from lifemeetings import views

app_name = "lifemeetings"

urlpatterns = [
    path("", views.package_index, name="package.index"),
    path("units/<int:unit_id>/<int:year>/", views.package_overview, name="package.overview"),
    # 谈心谈话
    path("units/<int:unit_id>/<int:year>/talks/", views.talk_list, name="talk.list"),
    path("units/<int:unit_id>/<int:year>/talks/new/", views.talk_create, name="talk.create"),
    path("units/<int:unit_id>/<int:year>/coverage/", views.talk_coverage, name="talk.coverage"),
    path("talks/<int:pk>/", views.talk_detail, name="talk.detail"),
    path("talks/<int:pk>/edit/", views.talk_edit, name="talk.edit"),
    path("talks/<int:pk>/archive/", views.talk_archive, name="talk.archive"),
    path("talks/<int:pk>/restore/", views.talk_restore, name="talk.restore"),
    # 对照检查材料
    path("units/<int:unit_id>/<int:year>/materials/", views.material_list, name="material.list"),
    path("units/<int:unit_id>/<int:year>/materials/<int:member_id>/", views.material_edit, name="material.edit"),
    path("materials/<int:pk>/", views.material_detail, name="material.detail"),
    path("materials/<int:pk>/submit/", views.material_submit, name="material.submit"),
    path("materials/<int:pk>/return/", views.material_return, name="material.return"),
    path("materials/<int:pk>/attachments/", views.material_upload, name="material.upload"),
    path("material-attachments/<int:pk>/", views.material_download, name="material.download"),
    # At the meeting
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting.detail"),
    path("meetings/<int:meeting_id>/criticism/", views.criticism_create, name="criticism.create"),
    path("meetings/<int:meeting_id>/problems/", views.problem_create, name="problem.create"),
    path("criticism/<int:pk>/edit/", views.criticism_edit, name="criticism.edit"),
    path("criticism/<int:pk>/archive/", views.criticism_archive, name="criticism.archive"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem.edit"),
    path("problems/<int:pk>/archive/", views.problem_archive, name="problem.archive"),
    path("problems/<int:pk>/raise/", views.problem_raise, name="problem.raise"),
]
