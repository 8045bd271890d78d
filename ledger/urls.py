from django.urls import path

from ledger import views

app_name = "ledger"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("template.xlsx", views.template_download, name="template"),
]
