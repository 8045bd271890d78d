"""Every app registered its extensions from ready(), in the order the pages show them."""


def test_every_app_registered_its_extensions():
    from common.registry import home_panels, navigation
    from members.registry import member_panels
    from notifications.services import periodic_jobs
    from organizations.registry import branch_links, branch_panels, unit_annotations, unit_guards

    assert [p.key for p in home_panels] == ["compliance.home", "study.home"]
    assert [p.key for p in member_panels] == ["committees.seats", "recognition.fiveleads"]
    assert [p.key for p in branch_panels] == ["committees.committee", "recognition.badges", "members.roster"]
    assert [e.key for e in branch_links] == [
        "meetings.meetings",
        "reports.minutes_book",
        "meetings.plans",
        "compliance.status",
        "rectification.items",
        "lifemeetings.package",
        "study.ledger",
        "integrity.unit",
    ]
    assert "members.member_count" in unit_annotations and "members.enrolled" in unit_guards
    assert [j.key for j in periodic_jobs][:3] == [
        "compliance.reminders.table_reminders",
        "committees.extensions.renewal_jobs",
        "compliance.reminders.lapse_reminders",
    ]
    assert len(navigation) == 19  # the bar had 19 links before the registry
