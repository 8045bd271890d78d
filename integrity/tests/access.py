"""Access-matrix rows for the integrity pages (collected by tests/test_access_matrix.py).

Targets: ``integrity_unit`` (branch A), ``integrity_meeting`` (a record of branch A). The compare
page takes its two records in the query string, so its row here has no target; the compare
page's allowed/404 cases are in integrity/tests/test_views.py.
"""

import datetime

from tests.matrix import everyone, expect

MATRIX = {
    "integrity:dashboard": ("GET", expect(200, 200, 403, 404, 403), None),
    "integrity:unit": ("GET", expect(200, 200, 200, 404, 404), "integrity_unit"),
    "integrity:meeting": ("GET", expect(200, 200, 200, 404, 404), "integrity_meeting"),
    # Without ?a=&b= there is nothing to compare: 404 for everyone.
    "integrity:compare": ("GET", everyone(404), None),
}


def target_kwargs(target, personas):
    if target == "integrity_unit":
        return {"pk": personas.org.branch_a.pk}
    if target == "integrity_meeting":
        from tests import factories as f

        meeting = f.MeetingFactory(unit=personas.org.branch_a, date=datetime.date(2025, 3, 10), kinds=["theme_day"])
        return {"pk": meeting.pk}
    return None
