"""Forms of the meeting record and planning pages. The rules live in ``meetings.rules`` and
``meetings.planning``; these only read input."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import add_to_form
from common.forms import DATE
from meetings import permissions, rules, services
from meetings.models import AbsenceReason, AttachmentKind, AttendanceStatus, MeetingKind, ThemeCategory
from members.models import BranchMembership, GroupMembership, Member
from organizations.models import UnitKind

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PROBLEM_ROWS = 5
MONTHS = [("", _("全部月份"))] + [(str(m), _("%(m)s月") % {"m": m}) for m in range(1, 13)]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.kind == UnitKind.PARTY_GROUP and obj.parent_id else obj.name


class MeetingFilterForm(forms.Form):
    unit = UnitChoiceField(label=_("召开单位"), queryset=None, required=False, empty_label=_("全部单位"))
    kind = forms.ModelChoiceField(
        label=_("会议类型"), queryset=MeetingKind.objects.all(), required=False, empty_label=_("全部类型")
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    month = forms.TypedChoiceField(label=_("月份"), choices=MONTHS, coerce=int, required=False, empty_value=None)
    late = forms.BooleanField(label=_("只看补录"), required=False)
    archived = forms.BooleanField(label=_("含已归档"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.visible_units(user).select_related("parent").order_by("path")
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (str(y), str(y)) for y in range(this_year, this_year - 10, -1)
        ]

    def filter(self, qs):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if not data.get("archived"):
            qs = qs.filter(archived_at__isnull=True)
        if data.get("unit"):
            qs = qs.filter(unit=data["unit"])
        if data.get("kind"):
            qs = qs.filter(kinds=data["kind"])
        if data.get("year"):
            qs = qs.filter(date__year=data["year"])
        if data.get("month"):
            qs = qs.filter(date__month=data["month"])
        if data.get("late"):
            qs = qs.filter(late_entry=True)
        return qs


class UnitPickForm(forms.Form):
    unit = UnitChoiceField(label=_("召开单位"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = permissions.units_for_record(user).select_related("parent")


def kinds_for(unit):
    """The kinds a unit may hold: every active kind but those the rules keep for the other level."""
    qs = MeetingKind.objects.filter(archived_at__isnull=True)
    if unit.kind == UnitKind.PARTY_GROUP:
        return qs.exclude(code__in=rules.BRANCH_ONLY_KINDS)
    return qs.exclude(code__in=rules.GROUP_ONLY_KINDS)


def _members_ever_in(unit):
    rows = GroupMembership if unit.kind == UnitKind.PARTY_GROUP else BranchMembership
    return Member.objects.filter(pk__in=rows.objects.filter(unit=unit).values("member_id"))


class MeetingForm(forms.Form):
    """The record form. One 出席/缺席 row per member of the unit on the meeting's date."""

    kinds = forms.ModelMultipleChoiceField(
        label=_("会议类型"), queryset=MeetingKind.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    date = forms.DateField(label=_("会议日期"), widget=DATE, required=False)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("结束时间"), widget=TIME, required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    topic = forms.CharField(label=_("主题"), max_length=200, required=False)
    theme_category = forms.ChoiceField(
        label=_("主题类别"), choices=[("", "—")] + list(ThemeCategory.choices), required=False
    )
    host = forms.ModelChoiceField(label=_("主持人"), queryset=Member.objects.none(), required=False)
    recorder = forms.ModelChoiceField(label=_("记录人"), queryset=Member.objects.none(), required=False)
    lecturer = forms.ModelChoiceField(
        label=_("讲课人"), queryset=Member.objects.none(), required=False, help_text=_("党课必填。")
    )
    held_for_year = forms.IntegerField(
        label=_("所属年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("仅组织生活会填写：该会属于哪一年度。1、2月召开的一般为上一年度，可修改；留空按会议日期确定。"),
    )
    invited = forms.CharField(
        label=_("列席人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("非本单位党员的列席、旁听人员，每行一人。"),
    )
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    resolutions = forms.CharField(label=_("决议事项"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("修改理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("该记录已锁定，修改须说明理由，理由记入变更记录。"),
    )

    PERSON_FIELDS = ("host", "recorder", "lecturer")

    def __init__(self, data=None, *, unit, meeting=None, locked=False, **kwargs):
        initial = kwargs.pop("initial", None) or (self.initial_for(meeting) if meeting is not None else {})
        super().__init__(data, initial=initial, **kwargs)
        self.unit = unit
        self.meeting = meeting
        self.section_errors = {}
        self.locked = locked
        if not locked:
            del self.fields["reason"]
        if meeting is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
        self.fields["kinds"].queryset = kinds_for(unit)
        if meeting is None and not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("held_for_year", rules.default_held_for_year(self.initial["date"]))
        day = self._day()
        on_day = Member.objects.in_unit_on(unit, day)
        keep = set()
        if meeting is not None:
            keep = {getattr(meeting, f"{f}_id") for f in self.PERSON_FIELDS} - {None}
        people = Member.objects.filter(pk__in=on_day.values("pk")) | Member.objects.filter(pk__in=keep)
        # Whoever was ever in the unit may be posted (the service then checks the date).
        postable = _members_ever_in(unit) | Member.objects.filter(pk__in=keep)
        for name in self.PERSON_FIELDS:
            self.fields[name].queryset = (postable if self.is_bound else people).order_by("name", "id")
        self.people = list(people.order_by("name", "id"))
        self._build_attendance(day, postable)
        for i in range(1, PROBLEM_ROWS + 1):
            self.fields[f"problem_{i}"] = forms.CharField(
                label=_("问题%(n)s") % {"n": i}, required=False, max_length=1000
            )
        if meeting is not None and not self.is_bound:
            for i, text in enumerate(meeting.problems.order_by("sort_order", "id").values_list("text", flat=True), 1):
                if i <= PROBLEM_ROWS:
                    self.initial[f"problem_{i}"] = text

    @staticmethod
    def initial_for(meeting) -> dict:
        out = {
            name: getattr(meeting, name)
            for name in (
                "date",
                "start_time",
                "end_time",
                "place",
                "topic",
                "theme_category",
                "held_for_year",
                "invited",
                "minutes",
                "resolutions",
                "version",
            )
        }
        for name in MeetingForm.PERSON_FIELDS:
            out[name] = getattr(meeting, f"{name}_id")
        out["kinds"] = [k.pk for k in meeting.kinds.all()]
        return out

    def _day(self) -> datetime.date:
        """The date whose members the lists show: the posted date, the meeting's, or today."""
        today = timezone.localdate()
        if self.is_bound:
            try:
                day = self.fields["date"].clean(self.data.get("date"))
            except forms.ValidationError:
                day = None
            if day is not None and day <= today:
                return day
        if self.meeting is not None:
            return self.meeting.date
        return today

    def _build_attendance(self, day, postable):
        """``att_<pk>`` (出席/缺席) and ``reason_<pk>`` per member; rows of the date, plus recorded
        ones (editing) and any posted member who ever belonged to the unit."""
        recorded = {}
        if self.meeting is not None:
            recorded = {a.member_id: a for a in self.meeting.attendance.select_related("member")}
        members = {m.pk: m for m in self.people}
        members.update({pk: a.member for pk, a in recorded.items()})
        if self.is_bound:
            posted = []
            for key in self.data:
                if key.startswith("att_") and key[4:].isdigit():
                    posted.append(int(key[4:]))
            missing = set(posted) - set(members)
            if missing:
                members.update({m.pk: m for m in postable.filter(pk__in=missing)})
        self.attendance_members = sorted(members.values(), key=lambda m: (m.name, m.pk))
        status_choices = list(AttendanceStatus.choices)
        reason_choices = [("", "—")] + list(AbsenceReason.choices)
        for m in self.attendance_members:
            self.fields[f"att_{m.pk}"] = forms.ChoiceField(
                label=m.name, choices=status_choices, widget=forms.RadioSelect, required=False
            )
            self.fields[f"reason_{m.pk}"] = forms.ChoiceField(
                label=_("缺席原因"), choices=reason_choices, required=False
            )
            row = recorded.get(m.pk)
            if row is not None:
                self.initial[f"att_{m.pk}"] = row.status
                self.initial[f"reason_{m.pk}"] = row.absence_reason
            elif self.meeting is None:
                self.initial[f"att_{m.pk}"] = AttendanceStatus.PRESENT

    # -- read back --------------------------------------------------------------------------

    def attendance_rows(self):
        """``[(member, bound status field, bound reason field)]`` for the template."""
        return [(m, self[f"att_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.attendance_members]

    def problem_fields(self):
        return [self[f"problem_{i}"] for i in range(1, PROBLEM_ROWS + 1)]

    def meeting_data(self) -> dict:
        d = self.cleaned_data
        return {name: d.get(name) for name in services.DATA_FIELDS}

    def selected_kinds(self):
        return list(self.cleaned_data.get("kinds") or [])

    def attendance(self):
        out = []
        for m in self.attendance_members:
            status = self.cleaned_data.get(f"att_{m.pk}")
            if status:
                out.append((m, status, self.cleaned_data.get(f"reason_{m.pk}") or ""))
        return out

    def problems(self):
        return [self.cleaned_data.get(f"problem_{i}") or "" for i in range(1, PROBLEM_ROWS + 1)]

    def apply_errors(self, errors: dict):
        """Put the service's messages on the fields they name; attendance and problems messages
        are shown above their tables (``section_errors``), anything else at the top."""
        self.section_errors = add_to_form(self, errors, sections=("attendance", "problems"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=AttachmentKind.choices, initial=AttachmentKind.DOCUMENT)
    file = forms.FileField(label=_("文件"), required=False)


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("归档理由"), required=False, max_length=500)


class KindForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=40, required=False)
    code = forms.CharField(
        label=_("代码"), max_length=40, required=False, help_text=_("小写字母、数字和下划线，如 warning_education。")
    )
    unit_kind = forms.ChoiceField(
        label=_("召开单位"),
        choices=[(UnitKind.BRANCH, UnitKind.BRANCH.label), (UnitKind.PARTY_GROUP, UnitKind.PARTY_GROUP.label)],
    )


class PlanForm(forms.Form):
    planned_on = forms.DateField(
        label=_("计划日期"),
        widget=DATE,
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
