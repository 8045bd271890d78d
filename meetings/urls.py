from meetings import urls_planning, urls_records

app_name = "meetings"

# Records (the meeting ledger) and planning (yearly plans, calendars, iCalendar feeds) are
# written separately; both live under the meetings namespace.
urlpatterns = urls_records.urlpatterns + urls_planning.urlpatterns
