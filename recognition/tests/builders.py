"""Small builders for recognition tests (rows made directly; the services are tested apart)."""

import datetime

from recognition import rules
from recognition.models import (
    FiveLeadsNote,
    FourStrong,
    FourStrongAssessment,
    FourStrongCriterion,
    Nomination,
    NoticeStatus,
    WorkdayCalendar,
)


def note(personas, **kwargs):
    values = {
        "member": personas.members.secretary_a,
        "year": datetime.date.today().year,
        "duty": "study",
        "text": "认真参加集中学习。",
        "author": personas.staff,
    }
    values.update(kwargs)
    return FiveLeadsNote.objects.create(**values)


def calendar_day():
    day, _created = WorkdayCalendar.objects.get_or_create(
        date=datetime.date(2030, 10, 1), defaults={"is_workday": False, "note": "国庆节"}
    )
    return day


def criteria(year, per_dimension=1):
    rows = list(FourStrongCriterion.objects.filter(year=year, archived_at__isnull=True))
    if rows:
        return rows
    return [
        FourStrongCriterion.objects.create(year=year, dimension=dim, text=str(texts[i]), order=i + 1)
        for dim, texts in rules.DEFAULT_CRITERIA.items()
        for i in range(per_dimension)
    ]


def four_strong(personas, *, year, status=NoticeStatus.DRAFT, unit=None, **kwargs):
    app = FourStrong.objects.create(
        unit=unit or personas.org.branch_a, year=year, status=status, created_by=personas.staff, **kwargs
    )
    for c in criteria(year):
        FourStrongAssessment.objects.create(application=app, criterion=c, evidence="已落实。")
    return app


def nomination(personas, *, status, member=None, **kwargs):
    values = {
        "unit": personas.org.branch_a,
        "year": datetime.date.today().year,
        "kind": "model_post" if member else "demo_site",
        "member": member,
        "title": "政务服务窗口党员示范岗" if member else "机关第一党支部党建示范点",
        "reason": "服务群众成效突出。",
        "status": status,
        "created_by": personas.staff,
    }
    if status == NoticeStatus.NAMED:
        values.update(
            notice_start=datetime.date(2025, 9, 29),
            notice_end=datetime.date(2025, 10, 14),
            named_on=datetime.date(2025, 10, 15),
        )
    values.update(kwargs)
    return Nomination.objects.create(**values)
