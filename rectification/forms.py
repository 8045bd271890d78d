"""Forms of the rectification ledger and the member appraisal. They validate input; the rules live
in ``rectification.rules`` and the services, whose messages ``apply_errors`` puts on the fields."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import add_to_form
from meetings.models import Meeting
from members.models import Member
from rectification import rules
from rectification.models import Category, Grade, Source, Status


class ServiceErrorsMixin:
    def apply_errors(self, errors: dict):
        """Put a service's messages on the fields they name, anything else at the top."""
        add_to_form(self, errors)


class UnitPickForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("党支部"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def branch_members(unit):
    """Members of ``unit`` now (open branch membership), for the responsible/concerned choices."""
    return (
        Member.objects.active()
        .filter(branch_memberships__end_on__isnull=True, branch_memberships__unit=unit)
        .order_by("name", "id")
    )


class ItemForm(ServiceErrorsMixin, forms.Form):
    source = forms.ChoiceField(label=_("问题来源"), choices=Source.choices)
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", "—"), *Category.choices], required=False)
    problem = forms.CharField(
        label=_("问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    measure = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    responsible = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False, empty_label="—")
    member = forms.ModelChoiceField(
        label=_("涉及党员"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("问题涉及的党员（个人问题时填写）。"),
    )
    deadline = forms.DateField(
        label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit, item=None, **kwargs):
        if item is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "source": item.source,
                "category": item.category,
                "problem": item.problem,
                "measure": item.measure,
                "responsible": item.responsible_id,
                "member": item.member_id,
                "deadline": item.deadline,
                "version": item.version,
            }
        super().__init__(*args, **kwargs)
        people = branch_members(unit)
        if item is not None:
            # Keep the people already on the item selectable even after they left the branch.
            keep = [pk for pk in (item.responsible_id, item.member_id) if pk]
            people = Member.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=keep)).order_by("name", "id")
        self.fields["responsible"].queryset = people
        self.fields["member"].queryset = people
        if item is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def item_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("source", "category", "problem", "measure", "responsible", "member", "deadline")
        }


class MoveForm(forms.Form):
    move = forms.ChoiceField(label=_("操作"), choices=[(k, k) for k in rules.MOVES])
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"), required=False)


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("归档理由"), max_length=200, required=False)


class LedgerFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("党支部"), queryset=None, required=False, empty_label=_("全部"))
    source = forms.ChoiceField(label=_("问题来源"), choices=[("", _("全部")), *Source.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False)
    responsible = forms.CharField(label=_("责任人"), max_length=50, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    archived = forms.BooleanField(label=_("含已归档"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def filter(self, qs, *, today: datetime.date):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("unit"):
            qs = qs.filter(unit=data["unit"])
        if data.get("source"):
            qs = qs.filter(source=data["source"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("responsible"):
            name = data["responsible"].strip()
            qs = qs.filter(Q(responsible__name__contains=name) | Q(responsible__name_initials=name.lower()))
        if data.get("year"):
            qs = qs.filter(created_at__year=data["year"])
        if data.get("overdue"):
            qs = qs.overdue_on(today)
        if not data.get("archived"):
            qs = qs.filter(archived_at__isnull=True)
        return qs

    def summary(self) -> dict:
        """The filters in force, readable (written into the export and its audit entry)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        out = {}
        for name, value in data.items():
            if value in (None, "", False):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            out[str(field.label)] = str(value) if value is not True else "是"
        return out


# ---------------------------------------------------------------------------------------------
# Appraisal


class RoundForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    meeting = forms.ModelChoiceField(
        label=_("评议会议"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_(
            "召开民主评议的组织生活会或支部党员大会（本年度的，或次年1、2月召开的）；参评名单按会议日期在册党员确定。"
        ),
    )

    def __init__(self, *args, unit, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year - 1})
        super().__init__(*args, **kwargs)
        # Never sliced: a ModelChoiceField looks the posted choice up in its queryset, and a
        # sliced queryset cannot be filtered, so every choice was "not one of the available
        # choices" (issue 12). The branch's 组织生活会 and 党员大会 are few (a handful a year);
        # the service checks that the one chosen fits the year.
        self.fields["meeting"].queryset = (
            Meeting.objects.active()
            .filter(unit=unit, kinds__code__in=rules.APPRAISAL_MEETING_KINDS)
            .distinct()
            .prefetch_related("kinds")
            .order_by("-date", "-id")
        )
        self.fields["meeting"].label_from_instance = _meeting_label


def _meeting_label(meeting) -> str:
    kinds = "、".join(k.name for k in meeting.kinds.all() if k.code in rules.APPRAISAL_MEETING_KINDS)
    return f"{meeting.date:%Y-%m-%d} {kinds} · {meeting.topic}"


class SelfAssessmentForm(ServiceErrorsMixin, forms.Form):
    self_assessment = forms.CharField(
        label=_("个人自评"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=8000,
        required=False,
        help_text=_("对照党员标准，从思想、工作、作风、纪律等方面总结本年度表现，查找不足。"),
    )


GRADE_CHOICES = [("", "—"), *Grade.choices]


class BallotForm(ServiceErrorsMixin, forms.Form):
    """One field ``vote_<member id>`` per appraisee (the voter excluded)."""

    def __init__(self, *args, appraisees, initial_votes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.appraisees = list(appraisees)
        for member in self.appraisees:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=member.name,
                choices=GRADE_CHOICES,
                required=False,
                initial=(initial_votes or {}).get(member.pk, ""),
            )

    def ballot(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"vote_{m.pk}", "") for m in self.appraisees}

    def rows(self):
        return [(m, self[f"vote_{m.pk}"]) for m in self.appraisees]


class DecideForm(ServiceErrorsMixin, forms.Form):
    """One field ``grade_<member id>`` per graded member."""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.graded = [r for r in results if r.graded]
        for result in self.graded:
            self.fields[f"grade_{result.member_id}"] = forms.ChoiceField(
                label=result.member.name, choices=GRADE_CHOICES, required=False, initial=result.grade
            )

    def grades(self) -> dict[int, str]:
        return {r.member_id: self.cleaned_data.get(f"grade_{r.member_id}", "") for r in self.graded}

    def field_for(self, member_id):
        name = f"grade_{member_id}"
        return self[name] if name in self.fields else None
