"""Forms of the committees pages. They check shape only; the rules live in services and rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import CommitteeRole

SEAT_ROWS = 9


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TermForm(forms.Form):
    elected_on = forms.DateField(
        label=_("选举日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写选举日期。"), "invalid": _("请按 年-月-日 填写选举日期。")},
    )
    term_years = forms.IntegerField(
        label=_("任期(年)"),
        min_value=1,
        max_value=5,
        error_messages={
            "required": _("请填写任期。"),
            "min_value": _("任期至少 1 年。"),
            "max_value": _("任期最多 5 年。"),
            "invalid": _("任期应为整数年。"),
        },
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SeatForm(forms.Form):
    """One elected person and their role; a row left blank is skipped."""

    member = forms.TypedChoiceField(label=_("党员"), coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(label=_("职务"), required=False, choices=[("", _("— 请选择 —")), *CommitteeRole.choices])

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("— 请选择 —")), *member_choices]

    def clean(self):
        data = super().clean()
        member, role = data.get("member"), data.get("role")
        if member and not role:
            self.add_error("role", _("职务：请为所选党员选择职务。"))
        if role and not member:
            self.add_error("member", _("党员：请为该职务选择党员。"))
        return data


SeatFormSet = forms.formset_factory(SeatForm, extra=0)


def seat_formset(*, data=None, initial=(), member_choices=()):
    initial = list(initial)
    initial += [{}] * max(SEAT_ROWS - len(initial), 2)
    return SeatFormSet(data=data, initial=initial, prefix="seats", form_kwargs={"member_choices": member_choices})


class ApproveForm(forms.Form):
    doc_number = forms.CharField(
        label=_("批复文号"), max_length=100, error_messages={"required": _("请填写批复文号。")}
    )
    approved_on = forms.DateField(
        label=_("批复日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写批复日期。"), "invalid": _("请按 年-月-日 填写批复日期。")},
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回理由。")},
    )


class DutyForm(forms.Form):
    text = forms.CharField(
        label=_("职责"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("每行一条职责。"),
        error_messages={"required": _("请至少填写一条职责。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def form_error_messages(form) -> list[str]:
    """``["批复日期：请填写批复日期。", ...]`` for messages on a page that does not show the form."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errors:
            out.append(f"{label}：{e}" if label else str(e))
    return out
