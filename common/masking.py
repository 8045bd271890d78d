"""Masking of personal data (公民身份号码, phone numbers) for pages, exports and audit data."""


def _keep_ends(value: str, head: int) -> str:
    """The first ``head`` and the last four characters kept, the rest starred (all of a value
    too short to show any)."""
    if not value:
        return ""
    if len(value) <= head + 4:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - 4) + value[-4:]


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` -> ``110105********002X`` (region code and last four kept)."""
    return _keep_ends(value, 6)


def mask_phone(value: str) -> str:
    """``13812341234`` -> ``138****1234``."""
    return _keep_ends(value, 3)


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_field(name: str, value):
    masker = MASKERS.get(name)
    if masker is None or value is None:
        return value
    return masker(str(value))
