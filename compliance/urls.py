from compliance import urls_participation, urls_rules

app_name = "compliance"

# Rules, the compliance table and dashboards; members' participation and lapse flags.
urlpatterns = urls_rules.urlpatterns + urls_participation.urlpatterns
