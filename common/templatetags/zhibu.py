from django import template

from common import logdisplay

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return logdisplay.action_label(code)


@register.filter
def change_rows(entry):
    return logdisplay.change_rows(entry)
