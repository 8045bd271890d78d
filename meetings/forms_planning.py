"""Forms of the planning pages. They check shape only; the rules live in meetings.planning."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import MeetingKind
from organizations.models import UnitKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(forms.Form):
    planned_on = forms.DateField(
        label=_("计划日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写计划日期。"), "invalid": _("请按 年-月-日 填写计划日期。")},
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("会议类型"),
        queryset=MeetingKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种会议类型。")},
    )
    topic = forms.CharField(label=_("拟定主题"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        level = "party_group" if unit.kind == UnitKind.PARTY_GROUP else "branch"
        self.fields["kinds"].queryset = MeetingKind.objects.filter(archived_at__isnull=True, unit_kind=level)
