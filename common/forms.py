from django import forms

# The date input every form uses (the browser's date picker, ISO format).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
