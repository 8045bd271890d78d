from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000


class MinutesBookForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("年度"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # Party groups indented under their branch.
        self.fields["unit"].label_from_instance = lambda u: ("　" if u.kind == "party_group" else "") + u.name
        this_year = timezone.localdate().year
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": this_year})
        if not self.is_bound:
            self.initial.setdefault("year", this_year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("年度：请填写%(first)s至%(last)s之间的年份。") % {"first": FIRST_YEAR, "last": this_year}
            )
        return year
