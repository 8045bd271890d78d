from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("minutes-book/", views.minutes_book_view, name="minutes_book"),
    path("meetings/<int:pk>/notice/", views.notice_view, name="notice"),
]
