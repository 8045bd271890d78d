"""Forms of the 组织生活会 package pages. The rules live in ``lifemeetings.rules``; these read input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DATE
from lifemeetings.models import CriticismKind, ProblemCategory
from members.models import Member

TEXTAREA = forms.Textarea(attrs={"rows": 4})
LONG_TEXTAREA = forms.Textarea(attrs={"rows": 14})


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _member_field(label, *, required=True):
    return MemberChoiceField(label=label, queryset=Member.objects.none(), required=required, empty_label=_("请选择"))


class TalkForm(VersionMixin):
    date = forms.DateField(label=_("谈话日期"), widget=DATE, required=False)
    initiator = _member_field(_("谈话人"), required=False)
    counterpart = _member_field(_("谈话对象"), required=False)
    summary = forms.CharField(label=_("谈话要点"), widget=TEXTAREA, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in members]
        for name in ("initiator", "counterpart"):
            self.fields[name].queryset = Member.objects.filter(pk__in=ids).order_by("name", "id")

    def talk_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("date", "initiator", "counterpart", "summary")}


class MaterialForm(VersionMixin):
    text = forms.CharField(
        label=_("材料正文"),
        widget=LONG_TEXTAREA,
        required=False,
        help_text=_("对照党章党规、对照初心使命，查摆问题、剖析根源、提出整改措施。"),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=500, required=False)


class CriticismForm(VersionMixin):
    subject = _member_field(_("被批评人"), required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=CriticismKind.choices, initial=CriticismKind.SELF)
    by_member = _member_field(_("提出人"), required=False)
    text = forms.CharField(label=_("内容"), widget=TEXTAREA, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in members]
        for name in ("subject", "by_member"):
            self.fields[name].queryset = Member.objects.filter(pk__in=ids).order_by("name", "id")
        self.fields["by_member"].help_text = _("相互批评填写提出人；自我批评留空。")

    def entry_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("subject", "kind", "by_member", "text")}


class ProblemForm(VersionMixin):
    member = _member_field(_("党员"), required=False)
    category = forms.ChoiceField(
        label=_("问题类别"), choices=[("", _("请选择")), *ProblemCategory.choices], required=False
    )
    problem = forms.CharField(label=_("问题"), widget=TEXTAREA, required=False)
    root_cause = forms.CharField(label=_("根源剖析"), widget=TEXTAREA, required=False)
    measure = forms.CharField(label=_("整改措施"), widget=TEXTAREA, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(pk__in=[m.pk for m in members]).order_by("name", "id")

    def problem_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("member", "category", "problem", "root_cause", "measure")}


class RaiseForm(forms.Form):
    deadline = forms.DateField(label=_("完成时限"), widget=DATE, required=False)
    measure = forms.CharField(label=_("整改措施"), widget=TEXTAREA, required=False)
