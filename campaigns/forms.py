"""Forms of the campaigns app: they validate input shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    Audience,
    Campaign,
    CampaignBook,
    Evidence,
    Material,
    ReadingReflection,
    ReflectionStatus,
    Stage,
    Task,
    Topic,
)
from meetings.models import MeetingKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Campaign
        fields = ["name", "goal", "start_on", "end_on", "reflection_min_chars"]
        widgets = {"start_on": DateInput(), "end_on": DateInput(), "goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class StageForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Stage
        fields = ["order", "name", "description", "start_on", "end_on"]
        widgets = {"start_on": DateInput(), "end_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def data_for_service(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        if data["order"] is None:
            data.pop("order")
        return data


class BookForm(forms.ModelForm):
    class Meta:
        model = CampaignBook
        fields = ["title", "author", "note", "material"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = Material.objects.active().order_by("title")

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class TaskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = ["title", "description", "audience", "evidence", "meeting_kind", "book", "due_on"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = Audience.choices
        self.fields["evidence"].choices = Evidence.choices
        self.fields["meeting_kind"].queryset = MeetingKind.objects.filter(archived_at__isnull=True)
        self.fields["book"].queryset = CampaignBook.objects.filter(stage=stage)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class CompletionForm(forms.Form):
    file = forms.FileField(label=_("完成材料"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReflectionForm(forms.Form):
    book = forms.ModelChoiceField(label=_("书目"), queryset=CampaignBook.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, books, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["book"].queryset = books
        self.fields["book"].label_from_instance = lambda b: f"《{b.title}》 · {b.stage.campaign.name} · {b.stage.name}"

    def data_for_service(self) -> dict:
        book = self.cleaned_data["book"]
        return {
            "stage": book.stage,
            "book": book,
            "title": self.cleaned_data["title"],
            "text": self.cleaned_data["text"],
        }


class CommentForm(forms.Form):
    text = forms.CharField(label=_("点评"), widget=forms.Textarea(attrs={"rows": 3}))


class LinkForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("交流会"), queryset=None)
    reflections = forms.ModelMultipleChoiceField(
        label=_("交流的心得"),
        queryset=ReadingReflection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meetings, reflections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%Y-%m-%d} {m.topic}"
        self.fields["reflections"].queryset = reflections
        self.fields["reflections"].label_from_instance = lambda r: f"{r.title}（{r.member.name}）"


class ReflectionFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("主题活动"), queryset=Campaign.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    flagged = forms.BooleanField(label=_("仅看疑似雷同"), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["status"].choices = [("", _("全部"))] + list(ReflectionStatus.choices)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    topics = forms.MultipleChoiceField(label=_("主题"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple)
    stage = forms.ModelChoiceField(label=_("活动阶段"), queryset=Stage.objects.none(), required=False)
    file = forms.FileField(label=_("文件"), help_text=_("Word（.docx）、文本（.txt）或 PDF。"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, material: Material | None = None, **kwargs):
        if material is not None and not kwargs.get("initial") and not args:
            kwargs["initial"] = {
                "title": material.title,
                "description": material.description,
                "topics": material.topic_codes(),
                "stage": material.stage_id,
                "version": material.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(campaign__archived_at__isnull=True).select_related(
            "campaign"
        )
        self.fields["stage"].label_from_instance = lambda s: f"{s.campaign.name} · {s.name}"
        if material is not None:
            del self.fields["file"]

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("title", "description", "topics", "stage")}


class MaterialSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("主题"), required=False)
    archived = forms.BooleanField(label=_("含已归档"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("全部"))] + list(Topic.choices)
