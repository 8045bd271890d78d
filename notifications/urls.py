from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification.list"),
    path("<int:pk>/read/", views.notification_read, name="notification.read"),
    path("read-all/", views.notification_read_all, name="notification.read_all"),
]
