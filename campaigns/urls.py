from django.urls import path

from campaigns import views, views_materials, views_reflections

app_name = "campaigns"

urlpatterns = [
    # Campaigns, their stages, books and tasks
    path("", views.campaign_list, name="campaign.list"),
    path("new/", views.campaign_create, name="campaign.create"),
    path("mine/", views.my_tasks, name="task.mine"),
    path("<int:pk>/", views.campaign_detail, name="campaign.detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign.edit"),
    path("<int:pk>/archive/", views.campaign_archive, name="campaign.archive"),
    path("<int:pk>/restore/", views.campaign_restore, name="campaign.restore"),
    path("<int:pk>/stages/new/", views.stage_create, name="stage.create"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage.edit"),
    path("stages/<int:pk>/books/new/", views.book_create, name="book.create"),
    path("stages/<int:pk>/tasks/new/", views.task_create, name="task.create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task.edit"),
    # Progress: the grid (staff, inspectors), a branch's page, its uploads
    path("<int:pk>/progress/", views.campaign_progress, name="campaign.progress"),
    path("<int:pk>/branches/<int:unit_id>/", views.campaign_branch, name="campaign.branch"),
    path("tasks/<int:pk>/units/<int:unit_id>/complete/", views.task_complete, name="task.complete"),
    path("completions/<int:pk>/", views.completion_download, name="completion.download"),
    # Reading reflections
    path("reflections/", views_reflections.reflection_list, name="reflection.list"),
    path("reflections/new/", views_reflections.reflection_create, name="reflection.create"),
    path("reflections/<int:pk>/", views_reflections.reflection_detail, name="reflection.detail"),
    path("reflections/<int:pk>/comment/", views_reflections.reflection_comment, name="reflection.comment"),
    path("reflections/<int:pk>/select/", views_reflections.reflection_select, name="reflection.select"),
    path("reflections/<int:pk>/unselect/", views_reflections.reflection_unselect, name="reflection.unselect"),
    path("reflections/<int:pk>/compare/", views_reflections.reflection_compare, name="reflection.compare"),
    path("reflections/units/<int:unit_id>/link/", views_reflections.reflection_link, name="reflection.link"),
    # Materials library
    path("materials/", views_materials.material_list, name="material.list"),
    path("materials/new/", views_materials.material_create, name="material.create"),
    path("materials/<int:pk>/", views_materials.material_detail, name="material.detail"),
    path("materials/<int:pk>/edit/", views_materials.material_edit, name="material.edit"),
    path("materials/<int:pk>/archive/", views_materials.material_archive, name="material.archive"),
    path("materials/<int:pk>/restore/", views_materials.material_restore, name="material.restore"),
    path("materials/<int:pk>/download/", views_materials.material_download, name="material.download"),
    path("materials/<int:pk>/read/", views_materials.material_read, name="material.read"),
]
