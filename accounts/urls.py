from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.ZhibuLoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/enrol/", views.otp_enrol, name="otp.enrol"),
    path("otp/verify/", views.otp_verify, name="otp.verify"),
    # The audit log: committee staff and inspectors (their scope), the audit administrator (all).
    path("audit/", views.audit_list, name="audit.list"),
    # System administrator: accounts.
    path("admin/accounts/", views.account_list, name="account.list"),
    path("admin/accounts/new/", views.account_create, name="account.create"),
    path("admin/accounts/<int:pk>/edit/", views.account_edit, name="account.edit"),
    path("admin/accounts/<int:pk>/deactivate/", views.account_deactivate, name="account.deactivate"),
    path("admin/accounts/<int:pk>/activate/", views.account_activate, name="account.activate"),
    path("admin/accounts/<int:pk>/reset-password/", views.account_reset_password, name="account.reset_password"),
    # Security administrator: role grants.
    path("admin/grants/", views.grant_list, name="grant.list"),
    path("admin/grants/new/", views.grant_create, name="grant.create"),
    path("admin/grants/<int:pk>/revoke/", views.grant_revoke, name="grant.revoke"),
]
