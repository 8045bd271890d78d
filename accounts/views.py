import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import auditlog, permissions, services
from accounts.forms import AccountForm, AuditFilterForm, GrantForm, LoginForm, PasswordChangeForm, TokenForm
from accounts.models import RoleGrant
from common.archiving import archive_action
from common.concurrency import StaleEditError

User = get_user_model()
PAGE_SIZE = 50

# ---------------------------------------------------------------- login, logout, own password


class ZhibuLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        services.start_session(self.request, form.get_user())
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return ctx


@require_POST
def logout(request):
    services.end_session(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    reason = request.session.get(services.SESSION_PASSWORD_CHANGE)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(request.user, form.cleaned_data["new_password1"], actor=request.user, request=request)
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})


# ---------------------------------------------------------------- second factor


def _qr_svg(device) -> str:
    """The enrolment QR code as inline SVG, drawn on the server (no image library, no JS)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title=_("动态口令绑定二维码"), svgclass="qr", lineclass=None
    )


def _secret_groups(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _after_second_factor(request):
    return redirect(
        "accounts:password_change" if request.session.get(services.SESSION_PASSWORD_CHANGE) else "portal:home"
    )


def _second_factor(request, device, *, enrolling: bool = False, done: str = ""):
    """Check a posted token against ``device``: the response once the check is over (passed, or
    locked out), ``None`` with the form to show (again)."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_second_factor(request, device, form.cleaned_data["token"], enrolling=enrolling)
        except services.SecondFactorLocked as exc:
            messages.error(request, str(exc))
            return redirect(settings.LOGIN_URL), form
        except services.AccountError as exc:
            form.add_error("token", str(exc))
        else:
            if done:
                messages.success(request, done)
            return _after_second_factor(request), form
    return None, form


def _second_factor_done(user) -> bool:
    return not services.otp_required(user) or user.is_verified()


@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    user = request.user
    if _second_factor_done(user):
        return redirect("portal:home")
    if services.confirmed_device(user):
        return redirect("accounts:otp.verify")
    device = services.pending_device(user)
    response, form = _second_factor(
        request, device, enrolling=True, done=_("动态口令已绑定，以后登录时需输入手机上的动态口令。")
    )
    if response is not None:
        return response
    ctx = {"form": form, "qr_svg": _qr_svg(device), "secret": _secret_groups(device)}
    return render(request, "accounts/otp_enrol.html", ctx)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if _second_factor_done(user):
        return redirect("portal:home")
    device = services.confirmed_device(user)
    if device is None:
        return redirect("accounts:otp.enrol")
    response, form = _second_factor(request, device)
    if response is not None:
        return response
    return render(request, "accounts/otp_verify.html", {"form": form})


# ---------------------------------------------------------------- accounts (system administrator)


def _issued(request, account, password, *, created: bool):
    """The issued password, shown once on this response and never stored in clear."""
    return render(
        request, "accounts/account_password_issued.html", {"account": account, "password": password, "created": created}
    )


@require_http_methods(["GET"])
def account_list(request):
    permissions.require(request.user, "account.view")
    accounts = permissions.visible(request.user, User.objects.all())
    q = request.GET.get("q", "").strip()
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    accounts = (
        accounts.select_related("security")
        .prefetch_related(
            Prefetch("grants", queryset=RoleGrant.objects.active().select_related("unit"), to_attr="active_grants")
        )
        .order_by("-is_active", "username")
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page, "accounts": page.object_list, "q": q})


@never_cache
@require_http_methods(["GET", "POST"])
def account_create(request):
    permissions.require(request.user, "account.create")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.create_account(form.cleaned_data, actor=request.user)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            return _issued(request, account, password, created=True)
    return render(request, "accounts/account_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    permissions.require(request.user, "account.edit")
    account = permissions.get_visible_or_404(request.user, User.objects.all(), pk=pk)
    security = services.security_of(account)
    conflicts = None
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                services.change_account(
                    account, form.cleaned_data, expected_version=form.cleaned_data["version"] or 0, actor=request.user
                )
            except StaleEditError as exc:
                # Keep what the user typed; a second submit (now on the current version) wins.
                conflicts = exc.conflicts
                security.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = security.version
            except services.AccountError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("账号已保存。"))
                return redirect("accounts:account.list")
    else:
        form = AccountForm(
            initial={
                "username": account.username,
                "first_name": account.first_name,
                "email": account.email,
                "version": security.version,
            }
        )
    ctx = {"form": form, "account": account, "security": security, "conflicts": conflicts}
    return render(request, "accounts/account_form.html", ctx)


def _admin_action(request, pk, action: str, queryset, service, done, then: str):
    """An administrator's POST on one account or grant: allowed (``action``), visible, then
    ``service``; ``done(obj)`` or the refusal is flashed on the list ``then``."""
    permissions.require(request.user, action)
    obj = permissions.get_visible_or_404(request.user, queryset, pk=pk)
    return archive_action(request, obj, service, done=done, then=lambda _obj: then)


def _account_action(request, pk, action, service, done_message):
    def done(account):
        return done_message % {"username": account.username}

    return _admin_action(request, pk, f"account.{action}", User.objects.all(), service, done, "accounts:account.list")


@require_POST
def account_deactivate(request, pk):
    return _account_action(request, pk, "deactivate", services.deactivate_account, _("账号 %(username)s 已停用。"))


@require_POST
def account_activate(request, pk):
    return _account_action(request, pk, "activate", services.activate_account, _("账号 %(username)s 已启用。"))


@never_cache
@require_POST
def account_reset_password(request, pk):
    permissions.require(request.user, "account.reset_password")
    account = permissions.get_visible_or_404(request.user, User.objects.all(), pk=pk)
    try:
        password = services.reset_password(account, actor=request.user)
    except services.AccountError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:account.list")
    return _issued(request, account, password, created=False)


# ---------------------------------------------------------------- grants (security administrator)


@require_http_methods(["GET"])
def grant_list(request):
    permissions.require(request.user, "grant.view")
    grants = permissions.visible(request.user, RoleGrant.objects.all())
    show_revoked = request.GET.get("revoked") == "1"
    if not show_revoked:
        grants = grants.active()
    q = request.GET.get("q", "").strip()
    if q:
        grants = grants.filter(Q(user__username__icontains=q) | Q(user__first_name__icontains=q))
    grants = grants.select_related("user", "unit", "granted_by").order_by("user__username", "role", "id")
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "grants": page.object_list, "q": q, "show_revoked": show_revoked}
    return render(request, "accounts/grant_list.html", ctx)


@require_http_methods(["GET", "POST"])
def grant_create(request):
    permissions.require(request.user, "grant.create")
    form = GrantForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.grant_role(data["user"], data["role"], data["unit"], actor=request.user)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已授权：%(grant)s。") % {"grant": grant})
            return redirect("accounts:grant.list")
    return render(request, "accounts/grant_form.html", {"form": form})


@require_POST
def grant_revoke(request, pk):
    return _admin_action(
        request,
        pk,
        "grant.revoke",
        RoleGrant.objects.select_related("user", "unit"),
        services.revoke_grant,
        lambda grant: _("已撤销授权：%(grant)s。") % {"grant": grant},
        "accounts:grant.list",
    )


# ---------------------------------------------------------------- the committee-wide audit log


@require_GET
def audit_list(request):
    if not auditlog.can_read_log(request.user):
        raise Http404
    entries = auditlog.visible_entries(request.user)
    form = AuditFilterForm(request.GET or None)
    form.is_valid()  # filters that are valid apply; the others show their error
    data = getattr(form, "cleaned_data", {})
    if data.get("app"):
        entries = entries.filter(action__startswith=data["app"] + ".")
    if data.get("action"):
        entries = entries.filter(action__startswith=data["action"])
    if data.get("actor"):
        entries = entries.filter(actor__username__iexact=data["actor"])
    if data.get("date_from"):
        entries = entries.filter(created_at__date__gte=data["date_from"])
    if data.get("date_to"):
        entries = entries.filter(created_at__date__lte=data["date_to"])
    if data.get("q"):
        entries = entries.filter(Q(object_repr__icontains=data["q"]) | Q(unit__name__icontains=data["q"]))
    entries = entries.select_related("actor", "content_type", "unit").order_by("-created_at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "entries": page.object_list, "query": query.urlencode()},
    )
