"""Every demo step, in the order ``seed_demo`` runs them (see ``demo.registry``).

The organisation comes first; its meetings depend on it (``--no-meetings`` stops there); the
extra logins follow the meetings; then each area's records, in the order their data depends on each
other: campaigns and study add meetings of their own; integrity plants its signals among all
meetings; rectification items exist before the life-meeting package and the inspection raise more
of them; recognition (五带头, 四强, 示范岗) and the annual assessment read all of the above
(``--no-apps`` leaves these out).
"""

from demo.registry import DemoStep, Steps
from demo.steps import (
    accounts,
    assessments,
    campaigns,
    inspections,
    integrity,
    lifemeetings,
    meetings,
    organisation,
    recognition,
    rectification,
    study,
)

MEETINGS = "meetings"
# The areas' steps; ``seed_demo --no-apps`` skips the first, and the rest hang on it.
APPS = ("campaigns", "study", "integrity", "rectification", "lifemeetings", "inspections", "recognition", "assessments")

STEPS = Steps()
STEPS.register(DemoStep("organisation", organisation.step, after_previous=False))
STEPS.register(DemoStep(MEETINGS, meetings.step))
STEPS.register(DemoStep("accounts", accounts.step))
for _name, _module in zip(
    APPS,
    (campaigns, study, integrity, rectification, lifemeetings, inspections, recognition, assessments),
    strict=True,
):
    STEPS.register(DemoStep(_name, _module.seed))
