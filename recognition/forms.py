"""Forms of recognition (validation only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Member
from recognition.models import (
    DEFAULT_NOTICE_DAYS,
    Duty,
    FourStrongCriterion,
    NominationKind,
    ReviewMethod,
    WorkdayCalendar,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class NoteForm(forms.Form):
    duty = forms.ChoiceField(label=_("带头事项"), choices=Duty.choices)
    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    needs_attention = forms.BooleanField(label=_("需关注"), required=False)


class CalendarForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkdayCalendar
        fields = ["date", "is_workday", "note"]
        widgets = {"date": DATE}

    def validate_unique(self):
        """Duplicate dates are refused by the service with a message naming the field."""


class CriterionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FourStrongCriterion
        fields = ["dimension", "text", "order"]


class FourStrongCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class SelfAssessmentForm(forms.Form):
    """One evidence field per sub-criterion of the application (``crit_<id>``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(assessments)
        for row in self.rows:
            self.fields[f"crit_{row.criterion_id}"] = forms.CharField(
                label=row.criterion.text,
                required=False,
                initial=row.evidence,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=4000,
            )

    def evidence(self) -> dict[int, str]:
        return {row.criterion_id: self.cleaned_data.get(f"crit_{row.criterion_id}", "") for row in self.rows}


REVIEW_CHOICES = [("", _("请选择")), ("pass", _("通过")), ("fail", _("不通过"))]


class ReviewForm(forms.Form):
    """Pass / not pass and a comment per sub-criterion (``result_<id>``, ``comment_<id>``)."""

    def __init__(self, *args, assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(assessments)
        for row in self.rows:
            initial = {True: "pass", False: "fail"}.get(row.review_passed, "")
            self.fields[f"result_{row.criterion_id}"] = forms.ChoiceField(
                label=_("审核结果"), choices=REVIEW_CHOICES, required=False, initial=initial
            )
            self.fields[f"comment_{row.criterion_id}"] = forms.CharField(
                label=_("审核意见"), required=False, initial=row.review_comment, max_length=2000
            )

    def results(self) -> dict[int, tuple[bool | None, str]]:
        mapping = {"pass": True, "fail": False, "": None}
        return {
            row.criterion_id: (
                mapping[self.cleaned_data.get(f"result_{row.criterion_id}", "")],
                self.cleaned_data.get(f"comment_{row.criterion_id}", ""),
            )
            for row in self.rows
        }


class NoticeForm(forms.Form):
    notice_start = forms.DateField(label=_("公示开始日期"), widget=DATE)
    notice_days = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=1, max_value=30, initial=DEFAULT_NOTICE_DAYS
    )


class ObjectionForm(forms.Form):
    objection = forms.CharField(label=_("公示异议"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NominationKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    member = forms.ModelChoiceField(
        label=_("党员"), queryset=None, required=False, help_text=_("推荐党员示范岗时选择。")
    )
    title = forms.CharField(label=_("示范点/岗名称"), max_length=100)
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    evidence = forms.CharField(
        label=_("主要事迹及佐证"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )
    method = forms.ChoiceField(label=_("评审方式"), choices=ReviewMethod.choices, initial=ReviewMethod.SCORE)
    pass_mark = forms.IntegerField(label=_("通过分数"), min_value=0, max_value=100, initial=80)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else Member.objects.none()


class ScoreForm(forms.Form):
    points = forms.IntegerField(label=_("分数"), min_value=0, max_value=100, required=False)
    agree = forms.TypedChoiceField(
        label=_("表决"),
        choices=[("", _("请选择")), ("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
