from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.display import STATUS_LABELS
from compliance.models import Condition, Period
from meetings.models import MeetingKind


class RuleVersionForm(forms.Form):
    """A new version of a rule: what changes from its effective date on."""

    name = forms.CharField(label=_("名称"), max_length=100)
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices)
    min_count = forms.IntegerField(label=_("最少次数"), min_value=1, max_value=100)
    condition = forms.ChoiceField(label=_("附加条件"), choices=Condition.choices, required=False)
    problems_min = forms.IntegerField(
        label=_("问题数下限"),
        min_value=0,
        max_value=20,
        required=False,
        help_text=_("仅“记录解决的实际问题”条件使用。"),
    )
    problems_max = forms.IntegerField(label=_("问题数上限"), min_value=0, max_value=20, required=False)
    source = forms.CharField(label=_("依据"), max_length=200, help_text=_("文件名称与条款，或讲话的章节。"))
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("自该日起开始的周期按新版本评判；此前的周期仍按原规则。"),
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        low, high = data.get("problems_min"), data.get("problems_max")
        if data.get("condition") == Condition.PROBLEMS_RECORDED:
            if low is None and high is None:
                self.add_error("problems_min", _("“记录解决的实际问题”须填写问题数的下限或上限。"))
            elif low is not None and high is not None and low > high:
                self.add_error("problems_max", _("问题数上限不能小于下限。"))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        params = {}
        if data.get("condition") == Condition.PROBLEMS_RECORDED:
            params = {k: v for k, v in (("min", data["problems_min"]), ("max", data["problems_max"])) if v is not None}
        data.pop("problems_min", None)
        data.pop("problems_max", None)
        data["params"] = params
        return data

    @staticmethod
    def initial_from(rule) -> dict:
        params = rule.params or {}
        return {
            "name": rule.name,
            "period": rule.period,
            "min_count": rule.min_count,
            "condition": rule.condition,
            "problems_min": params.get("min"),
            "problems_max": params.get("max"),
            "source": rule.source,
            "effective_from": timezone.localdate(),
        }


class RuleCreateForm(RuleVersionForm):
    code = forms.SlugField(
        label=_("规则代码"), max_length=60, help_text=_("英文小写字母、数字、下划线，例如 study_day。创建后不可修改。")
    )
    kind = forms.ModelChoiceField(
        label=_("会议类型"), queryset=MeetingKind.objects.filter(archived_at__isnull=True), empty_label=_("请选择")
    )

    field_order = ["code", "name", "kind", "period", "min_count", "condition", "problems_min", "problems_max"]


class RuleRetireForm(forms.Form):
    retired_on = forms.DateField(label=_("停止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DeadlineForm(forms.Form):
    """The day a 年度's 组织生活会 is judged at (committee staff)."""

    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("依据"), max_length=200, required=False, help_text=_("如上级关于召开年度组织生活会的通知文号。")
    )


class TableFilterForm(forms.Form):
    """Filters of the compliance table and its export (all optional)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    as_of = forms.DateField(label=_("截至日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ChoiceField(label=_("组织"), required=False)
    rule = forms.ChoiceField(label=_("规则"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, units=(), rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部"))] + [(str(u.pk), u.name) for u in units]
        self.fields["rule"].choices = [("", _("全部"))] + [(code, name) for code, name in rules]
        self.fields["status"].choices = [("", _("全部"))] + list(STATUS_LABELS.items())
