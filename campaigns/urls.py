from django.urls import path

from campaigns.views import campaigns, materials, reflections

app_name = "campaigns"

urlpatterns = [
    # Campaigns, their stages, books and tasks
    path("", campaigns.campaign_list, name="campaign.list"),
    path("new/", campaigns.campaign_create, name="campaign.create"),
    path("mine/", campaigns.my_tasks, name="task.mine"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign.detail"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="campaign.edit"),
    path("<int:pk>/archive/", campaigns.campaign_archive, name="campaign.archive"),
    path("<int:pk>/restore/", campaigns.campaign_restore, name="campaign.restore"),
    path("<int:pk>/stages/new/", campaigns.stage_create, name="stage.create"),
    path("stages/<int:pk>/edit/", campaigns.stage_edit, name="stage.edit"),
    path("stages/<int:pk>/books/new/", campaigns.book_create, name="book.create"),
    path("stages/<int:pk>/tasks/new/", campaigns.task_create, name="task.create"),
    path("tasks/<int:pk>/edit/", campaigns.task_edit, name="task.edit"),
    # Progress: the grid (staff, inspectors), a branch's page, its uploads
    path("<int:pk>/progress/", campaigns.campaign_progress, name="campaign.progress"),
    path("<int:pk>/branches/<int:unit_id>/", campaigns.campaign_branch, name="campaign.branch"),
    path("tasks/<int:pk>/units/<int:unit_id>/complete/", campaigns.task_complete, name="task.complete"),
    path("completions/<int:pk>/", campaigns.completion_download, name="completion.download"),
    # Reading reflections
    path("reflections/", reflections.reflection_list, name="reflection.list"),
    path("reflections/new/", reflections.reflection_create, name="reflection.create"),
    path("reflections/<int:pk>/", reflections.reflection_detail, name="reflection.detail"),
    path("reflections/<int:pk>/comment/", reflections.reflection_comment, name="reflection.comment"),
    path("reflections/<int:pk>/select/", reflections.reflection_select, name="reflection.select"),
    path("reflections/<int:pk>/unselect/", reflections.reflection_unselect, name="reflection.unselect"),
    path("reflections/<int:pk>/compare/", reflections.reflection_compare, name="reflection.compare"),
    path("reflections/units/<int:unit_id>/link/", reflections.reflection_link, name="reflection.link"),
    # Materials library
    path("materials/", materials.material_list, name="material.list"),
    path("materials/new/", materials.material_create, name="material.create"),
    path("materials/<int:pk>/", materials.material_detail, name="material.detail"),
    path("materials/<int:pk>/edit/", materials.material_edit, name="material.edit"),
    path("materials/<int:pk>/archive/", materials.material_archive, name="material.archive"),
    path("materials/<int:pk>/restore/", materials.material_restore, name="material.restore"),
    path("materials/<int:pk>/download/", materials.material_download, name="material.download"),
    path("materials/<int:pk>/read/", materials.material_read, name="material.read"),
]
