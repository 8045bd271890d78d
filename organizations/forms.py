from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Unit, UnitKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label=_("上级"), queryset=Unit.objects.none())
    founded_on = forms.DateField(label=_("成立日期"), widget=DATE)
    term_years = forms.IntegerField(
        label=_("任期(年)"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("留空按类型取默认值：机关党委 5 年，其他 3 年。"),
    )
    department = forms.CharField(label=_("对应部门"), max_length=100, required=False)
    sort_order = forms.IntegerField(label=_("排序"), required=False, min_value=0)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda u: (
            f"{'　' * (u.depth - 1)}{u.name}（{u.get_kind_display()}）"
        )


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    founded_on = forms.DateField(label=_("成立日期"), widget=DATE)
    term_years = forms.IntegerField(label=_("任期(年)"), min_value=1, max_value=10)
    department = forms.CharField(label=_("对应部门"), max_length=100, required=False)
    sort_order = forms.IntegerField(label=_("排序"), required=False, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("撤销日期"), widget=DATE)
