"""Forms of the members pages. Rules live in ``members.rules``; the forms put each message next
to its field, and the services check again whoever calls them."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.masking import mask_id_number, mask_phone
from members import permissions, rules
from members.models import Education, Gender, MemberCategory
from members.services import EDITABLE_FIELDS, REVEALABLE_FIELDS
from organizations.models import Unit, UnitKind


def _group_in_branch(form, data: dict, branch: str, group: str, message: str) -> dict:
    """Refuse (on the ``group`` field) a chosen party group that is not in the chosen branch."""
    if data.get(branch) and data.get(group) and data[group].parent_id != data[branch].pk:
        form.add_error(group, message)
    return data


def _offer_groups(field, branches) -> None:
    """Offer the open party groups of ``branches`` (in tree order), or none."""
    field.queryset = (
        Unit.objects.filter(kind=UnitKind.PARTY_GROUP, parent__in=branches, dissolved_on__isnull=True)
        .active()
        .select_related("parent")
        .order_by("path")
    )
    field.empty_label = _("（不加入党小组）")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class NamedErrorsMixin:
    """Default error messages that name the field: 请填写入党日期, 入党日期不是有效的日期."""

    def _name_errors(self):
        for field in self.fields.values():
            label = field.label
            field.error_messages["required"] = _("请填写%(field)s") % {"field": label}
            field.error_messages["invalid"] = _("%(field)s格式不正确") % {"field": label}
            field.error_messages["invalid_choice"] = _("%(field)s的选项无效") % {"field": label}
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _("%(field)s最多%(n)s个字") % {
                    "field": label,
                    "n": field.max_length,
                }


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == UnitKind.PARTY_GROUP and obj.parent_id:
            return f"{obj.parent.name} · {obj.name}"
        return obj.name


class MemberFieldsForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial=_("汉族"))
    birth_date = date_field(_("出生日期"))
    id_number = forms.CharField(
        label=_("公民身份号码"), max_length=22, help_text=_("18位，最后一位可为X；出生日期须与号码一致。")
    )
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—")] + list(Education.choices), required=False)
    category = forms.ChoiceField(label=_("人员类别"), choices=MemberCategory.choices)
    joined_on = date_field(_("入党日期"))
    full_member_on = date_field(_("转正日期"), required=False, help_text=_("正式党员必填；预备党员留空。"))
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    department = forms.CharField(label=_("工作部门"), max_length=100, required=False)
    post = forms.CharField(label=_("职务"), max_length=100, required=False)
    is_leading_cadre = forms.BooleanField(label=_("领导干部"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self._name_errors()

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in ("birth_date", "joined_on", "full_member_on", "id_number")):
            return data
        for field, message in rules.member_problems(data, today=timezone.localdate()).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def member_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class MemberCreateForm(MemberFieldsForm):
    branch = UnitChoiceField(label=_("所在党支部"), queryset=Unit.objects.none())
    group = UnitChoiceField(label=_("所在党小组"), queryset=Unit.objects.none(), required=False)
    start_on = date_field(
        _("进入本支部日期"), required=False, help_text=_("留空：取支部成立日期与入党日期中较晚的一天。")
    )

    field_order = ["branch", "group", "start_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = permissions.branches_for_add(user)
        self.fields["branch"].queryset = branches
        _offer_groups(self.fields["group"], branches)
        self._name_errors()

    def clean(self):
        return _group_in_branch(self, super().clean(), "branch", "group", _("所在党小组不属于所选党支部"))


class MemberEditForm(MemberFieldsForm):
    """Edits a member. The full ID number and phone are never sent to the page: their inputs start
    empty (showing the masked value as a hint), and an empty input keeps the stored value."""

    version = forms.IntegerField(widget=forms.HiddenInput())
    clear_phone = forms.BooleanField(label=_("清除手机号码"), required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        id_field, phone_field = self.fields["id_number"], self.fields["phone"]
        id_field.required = False
        id_field.help_text = _("现为 %(masked)s；留空则保持不变。") % {"masked": mask_id_number(member.id_number)}
        id_field.widget.attrs["placeholder"] = mask_id_number(member.id_number)
        id_field.widget.attrs["autocomplete"] = "off"
        phone_field.help_text = (
            _("现为 %(masked)s；留空则保持不变。") % {"masked": mask_phone(member.phone)}
            if member.phone
            else _("目前未登记手机号码。")
        )
        phone_field.widget.attrs["placeholder"] = mask_phone(member.phone)
        phone_field.widget.attrs["autocomplete"] = "off"

    @staticmethod
    def initial_for(member) -> dict:
        initial = {name: getattr(member, name) for name in EDITABLE_FIELDS if name not in REVEALABLE_FIELDS}
        initial["version"] = member.version
        return initial

    def clean(self):
        data = self.cleaned_data
        if "id_number" not in self.errors and not (data.get("id_number") or "").strip():
            data["id_number"] = self.member.id_number
        if data.get("clear_phone"):
            data["phone"] = ""
        elif "phone" not in self.errors and not (data.get("phone") or "").strip():
            data["phone"] = self.member.phone
        return super().clean()


class TransferForm(NamedErrorsMixin, forms.Form):
    to_branch = UnitChoiceField(label=_("转入党支部"), queryset=Unit.objects.none())
    on = date_field(_("转接日期"))
    to_group = UnitChoiceField(label=_("转入党小组"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        current = member.current_branch_membership()
        branches = permissions.branches_for_add(user)
        if current is not None:
            branches = branches.exclude(pk=current.unit_id)
        self.fields["to_branch"].queryset = branches
        _offer_groups(self.fields["to_group"], branches)
        self.fields["on"].initial = timezone.localdate()
        self._name_errors()

    def clean(self):
        return _group_in_branch(self, super().clean(), "to_branch", "to_group", _("转入党小组不属于所选党支部"))


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("归档理由"), max_length=200, required=False)


class RevealForm(NamedErrorsMixin, forms.Form):
    field = forms.ChoiceField(
        label=_("字段"), choices=[(f, f) for f in REVEALABLE_FIELDS], error_messages={"required": _("请选择字段")}
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("姓名或拼音首字母"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：张三 或 zs")}),
    )
    branch = UnitChoiceField(label=_("党支部"), queryset=Unit.objects.none(), required=False, empty_label=_("全部"))
    category = forms.ChoiceField(
        label=_("人员类别"), choices=[("", _("全部"))] + list(MemberCategory.choices), required=False
    )
    gender = forms.ChoiceField(label=_("性别"), choices=[("", _("全部"))] + list(Gender.choices), required=False)
    education = forms.ChoiceField(label=_("学历"), choices=[("", _("全部"))] + list(Education.choices), required=False)
    department = forms.CharField(label=_("工作部门"), required=False, max_length=100)
    archived = forms.BooleanField(label=_("含已归档"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = permissions.visible_branches(user).order_by("path")

    def filter(self, qs):
        """Apply the valid filters to a member queryset."""
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("archived"):
            qs = qs.active()
        q = (data.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(name_initials__icontains=q.lower()))
        if data.get("branch"):
            qs = qs.filter(branch_memberships__end_on__isnull=True, branch_memberships__unit=data["branch"])
        for name in ("category", "gender", "education"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("department"):
            qs = qs.filter(department__icontains=data["department"].strip())
        return qs

    def query_dict(self) -> dict:
        """The active filters, for the audit entry of an export."""
        if not self.is_valid():
            return {}
        out = {}
        for k, v in self.cleaned_data.items():
            if v not in (None, "", False):
                out[k] = str(v)
        return out
