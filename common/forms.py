from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from common import logdisplay

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
