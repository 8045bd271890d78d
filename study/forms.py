"""Forms of the study pages. The rules live in ``study.rules`` / ``study.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DATE
from meetings.models import MeetingKind
from study.models import StudyDayMode, Weekday


class StudyRecordForm(forms.Form):
    title = forms.CharField(label=_("学习内容"), max_length=200, help_text=_("学习的材料、书目或课程。"))
    date = forms.DateField(label=_("学习日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("学时"), max_digits=4, decimal_places=1, help_text=_("以 0.5 学时为单位，每条不超过 24 学时。")
    )
    note = forms.CharField(label=_("学习体会或说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=500)


class StudyYearForm(forms.Form):
    member_target = forms.DecimalField(label=_("党员学时要求"), max_digits=5, decimal_places=1)
    leader_target = forms.DecimalField(label=_("支部书记、支委学时要求"), max_digits=5, decimal_places=1)
    default_meeting_hours = forms.DecimalField(
        label=_("未填时间的会议按学时计"),
        max_digits=3,
        decimal_places=1,
        help_text=_("会议记录未填写开始、结束时间时，每次按此学时计入。"),
    )
    counted_kinds = forms.ModelMultipleChoiceField(
        label=_("计入学时的会议类型"),
        queryset=MeetingKind.objects.filter(archived_at__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("党员出席这些类型的会议，按会议时长计入集中学习学时；一次会议兼具多种类型时只计一次。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StudyDayRuleForm(forms.Form):
    mode = forms.ChoiceField(label=_("规则"), choices=StudyDayMode.choices)
    nth = forms.TypedChoiceField(
        label=_("第几个"),
        coerce=int,
        choices=[(1, _("第一个")), (2, _("第二个")), (3, _("第三个")), (4, _("第四个"))],
        required=False,
        help_text=_("按“每月第几个星期几”时使用。"),
    )
    weekday = forms.TypedChoiceField(label=_("星期几"), coerce=int, choices=Weekday.choices, required=False)
    day = forms.IntegerField(
        label=_("日期"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("按“每月固定日期”时使用；该月没有这一天时取当月最后一天。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
