from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import indicators
from assessments.models import Choice, Indicator, Method


class SetCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    from_default = forms.BooleanField(label=_("按默认模板建立"), required=False, initial=True)


class IndicatorForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = forms.ModelChoiceField(
        label=_("上级指标"), queryset=Indicator.objects.none(), required=False, empty_label=_("（顶级）")
    )
    name = forms.CharField(label=_("指标名称"), max_length=100)
    method = forms.ChoiceField(label=_("评分方式"), choices=Method.choices, required=False)
    weight = forms.DecimalField(label=_("分值"), required=False, max_digits=5, decimal_places=1)
    metric = forms.ChoiceField(label=_("计算口径"), required=False)
    metric_param = forms.CharField(
        label=_("口径参数"),
        required=False,
        max_length=60,
        help_text=_("制度落实率：填写规则代码只计该规则，留空计全部规则。"),
    )
    zero_at = forms.DecimalField(label=_("零分值"), required=False, max_digits=8, decimal_places=2)
    full_at = forms.DecimalField(
        label=_("满分值"), required=False, max_digits=8, decimal_places=2, help_text=_("满分值小于零分值表示越低越好。")
    )
    description = forms.CharField(label=_("评分说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("排序"), required=False, min_value=0, initial=0)

    def __init__(self, *args, indicator_set, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = indicator_set.indicators.filter(archived_at__isnull=True, method=Method.GROUP)
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = qs
        self.fields["metric"].choices = [("", "—"), *indicators.metric_choices()]


class BandsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    good_min = forms.DecimalField(label=_("“好”的最低分"), max_digits=5, decimal_places=1)
    fairly_good_min = forms.DecimalField(label=_("“较好”的最低分"), max_digits=5, decimal_places=1)
    average_min = forms.DecimalField(label=_("“一般”的最低分"), max_digits=5, decimal_places=1)


class ScoreForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2, required=False)
    evidence_text = forms.CharField(label=_("评分依据"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    comment = forms.CharField(label=_("评语"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DutyReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    text = forms.CharField(label=_("述职内容"), required=False, widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        if years:
            self.fields["year"].choices = [(y, str(y)) for y in years]
        else:
            del self.fields["year"]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("评议意见"), choices=Choice.choices, widget=forms.RadioSelect, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), required=False)
