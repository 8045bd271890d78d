"""Forms of the inspection pages. They only read input; the services check the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import DATE
from inspections import rules, services
from inspections.models import InspectionKind, RecordType, Severity
from meetings.models import Meeting
from members.models import Member


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full}（{obj.get_username()}）" if full else obj.get_username()


class CommitteePickForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("组织单位"), queryset=None, empty_label=None)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("督查名称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("督查方式"), choices=InspectionKind.choices)
    planned_start = forms.DateField(label=_("计划开始日期"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("计划结束日期"), required=False, widget=DATE)
    inspectors = UserChoices(
        label=_("督查人员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("持有督查人员或党委工作人员角色的用户。"),
    )
    whole_committee = forms.BooleanField(label=_("全体党支部"), required=False)
    branches = forms.ModelMultipleChoiceField(
        label=_("督查党支部"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选“全体党支部”时不必选择。"),
    )
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, committee, inspection=None, **kwargs):
        if inspection is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": inspection.title,
                "kind": inspection.kind,
                "planned_start": inspection.planned_start,
                "planned_end": inspection.planned_end,
                "inspectors": list(inspection.inspectors.all()),
                "whole_committee": inspection.whole_committee,
                "branches": list(inspection.branches.all()),
                "notes": inspection.notes,
                "version": inspection.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = services.inspector_candidates(committee)
        self.fields["branches"].queryset = services.branches_under(committee)
        if inspection is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DrawForm(forms.Form):
    record_type = forms.ChoiceField(label=_("抽查记录类型"), choices=RecordType.choices)
    period_start = forms.DateField(label=_("抽查期间起"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("抽查期间止"), required=False, widget=DATE)
    branch_count = forms.IntegerField(label=_("抽取党支部数"), required=False, min_value=1, initial=2)
    records_per_branch = forms.IntegerField(label=_("每个党支部抽取记录数"), required=False, min_value=1, initial=3)
    weighted = forms.BooleanField(label=_("按风险加权"), required=False)
    seed = forms.CharField(
        label=_("随机种子"),
        required=False,
        max_length=26,
        help_text=_("已随机生成。要重复他人的抽样，填入其随机种子和相同的条件。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "seed-input", "autocomplete": "off"}),
    )

    def __init__(self, *args, risk_available: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.risk_available = risk_available
        if not risk_available:
            self.fields["weighted"].disabled = True
            self.fields["weighted"].help_text = _("暂不可用：风险评分（廉洁信号）尚未提供。")
        else:
            self.fields["weighted"].help_text = _("风险分高的党支部更可能被抽中（权重 = 1 + 风险分）。")

    @staticmethod
    def default_initial(inspection) -> dict:
        today = timezone.localdate()
        start = inspection.planned_start - datetime.timedelta(days=90)
        return {
            "record_type": RecordType.MEETING,
            "period_start": start,
            "period_end": min(inspection.planned_start, today),
            "branch_count": 2,
            "records_per_branch": 3,
            "seed": str(rules.new_seed()),
        }


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.date:%Y-%m-%d} {obj.topic}"


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("党支部"), queryset=None, required=False)
    meeting = MeetingChoice(label=_("涉及记录"), queryset=None, required=False, empty_label=_("（不涉及具体记录）"))
    text = forms.CharField(label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, inspection, finding=None, **kwargs):
        if finding is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "unit": finding.unit,
                "meeting": finding.meeting,
                "text": finding.text,
                "severity": finding.severity,
                "version": finding.version,
            }
        super().__init__(*args, **kwargs)
        branches = services.inspection_branches(inspection)
        self.fields["unit"].queryset = branches
        # Records of the branches from a year before the plan to its end (and the sampled ones).
        start = inspection.planned_start - datetime.timedelta(days=366)
        sampled = [pk for draw in inspection.draws.all() for row in draw.sample for pk in row["records"]]
        under = [b.path for b in branches]
        qs = Meeting.objects.active().select_related("unit")
        q = Q(pk__in=sampled)
        in_branches = Q()
        for path in under:
            in_branches |= Q(unit__path__startswith=path)
        if under:
            q |= in_branches & Q(date__gte=start, date__lte=inspection.planned_end)
        if finding is not None and finding.meeting_id:
            q |= Q(pk=finding.meeting_id)
        self.fields["meeting"].queryset = qs.filter(q).order_by("unit__path", "-date", "-id")
        if finding is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RaiseItemForm(forms.Form):
    problem = forms.CharField(label=_("问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.CharField(label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = MemberChoice(label=_("责任人"), queryset=None, required=False, empty_label=_("（暂不指定）"))
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DATE)
    category = forms.ChoiceField(label=_("问题类别"), required=False)

    def __init__(self, *args, finding, **kwargs):
        kwargs.setdefault("initial", {"problem": finding.text})
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["responsible"].queryset = Member.objects.active().in_unit_on(finding.unit, today).order_by("name")
        model = services.rectification_model()
        choices = [("", _("（不分类）"))]
        if model is not None:
            choices += list(model._meta.get_field("category").choices)
        self.fields["category"].choices = choices
