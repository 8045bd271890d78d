"""Masking of personal data (公民身份号码, phone numbers) for pages, exports and audit data."""


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` -> ``110105********002X`` (region code and last four kept)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812341234`` -> ``138****1234``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_field(name: str, value):
    masker = MASKERS.get(name)
    if masker is None or value is None:
        return value
    return masker(str(value))
