from django import template

from common.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_id(value: str) -> str:
    """``110105********002X``: pages show ID numbers only like this unless revealed."""
    return mask_id_number(value or "")


@register.filter
def masked_phone(value: str) -> str:
    """``138****1234``."""
    return mask_phone(value or "")
