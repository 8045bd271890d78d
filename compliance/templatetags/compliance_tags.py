from django import template

from compliance.display import STATUS_BADGES, status_label

register = template.Library()


@register.filter
def status_badge(status: str) -> str:
    """The badge class of a compliance status."""
    return STATUS_BADGES.get(status, "badge-muted")


@register.filter(name="status_label")
def status_label_filter(status: str) -> str:
    return status_label(status)
