from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import ADMIN_ROLES, Role, RoleGrant
from common import logdisplay
from common.forms import DATE

User = get_user_model()


def _grant_units():
    """The units a grant may name: the model behind ``RoleGrant.unit`` (accounts sits below the
    app that defines units, so it asks the field instead of importing the model)."""
    return RoleGrant._meta.get_field("unit").related_model.objects


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败多次后账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self):
        data = super().clean()
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new1:
            if data.get("old_password") and new1 == data["old_password"]:
                self.add_error("new_password1", _("新密码不能与当前密码相同。"))
            else:
                try:
                    password_validation.validate_password(new1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    first_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        # Same characters Django's own username validator allows (letters, digits, @.+-_).
        validator = User._meta.get_field("username").validators[0]
        try:
            validator(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(_("用户名只能包含字母、数字和 @ . + - _ 字符。")) from exc
        return value


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("账号"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("组织"),
        queryset=None,
        required=False,
        help_text=_("业务角色必须选择组织（授权覆盖该组织及其下级）；三个管理员角色不选组织。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.username}（{u.first_name}）" if u.first_name else u.username
        )
        self.fields["unit"].queryset = _grant_units().active().order_by("path")

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in ADMIN_ROLES and unit is not None:
            self.add_error("unit", _("管理员角色不限于某个组织，请不要选择组织。"))
        elif role and role not in ADMIN_ROLES and unit is None:
            self.add_error("unit", _("请选择授权的组织。"))
        return data


# ---------------------------------------------------------------- the audit log's filters


def _app_choices():
    """The apps that have registered audit action codes, by their Chinese name."""
    labels = sorted({code.split(".", 1)[0] for code in logdisplay.registered()})
    choices = [("", _("全部模块"))]
    for label in labels:
        try:
            choices.append((label, str(apps.get_app_config(label).verbose_name)))
        except LookupError:
            choices.append((label, label))
    return choices


class AuditFilterForm(forms.Form):
    app = forms.ChoiceField(label=_("模块"), required=False)
    action = forms.CharField(
        label=_("操作代码"),
        required=False,
        max_length=80,
        help_text=_("按前缀匹配，如 members.member"),
        widget=forms.TextInput(attrs={"list": "audit-action-codes", "placeholder": "members.member"}),
    )
    actor = forms.CharField(label=_("操作人用户名"), required=False, max_length=150)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    q = forms.CharField(
        label=_("对象"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].choices = _app_choices()
        self.action_codes = logdisplay.registered()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期：不能早于开始日期。"))
        return data
