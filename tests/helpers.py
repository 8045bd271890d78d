"""Small helpers shared by the tests of several apps."""

from common.audit import log_action


def log_branch_a_changes(personas, count: int, **details):
    """``count`` audit entries "organizations.unit.changed" by committee staff about branch A.

    ``details`` are log_action's keywords; a callable value is called with the entry's number."""
    for i in range(count):
        log_action(
            "organizations.unit.changed",
            actor=personas.staff,
            obj=personas.org.branch_a,
            unit=personas.org.branch_a,
            **{key: value(i) if callable(value) else value for key, value in details.items()},
        )


def assert_page_shows(response, *texts: str) -> str:
    """The response is a page (200) that shows each of ``texts``; returns its HTML.

    A refused stale edit, for one, comes back as the form with the conflict and the input kept."""
    html = response.content.decode()
    assert response.status_code == 200
    for text in texts:
        assert text in html
    return html
