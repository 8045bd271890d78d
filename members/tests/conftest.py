import datetime

import pytest

from members.idnumbers import make_id_number


@pytest.fixture
def member_data():
    """``member_data(**overrides)``: valid data for a new full member born 1985-03-12."""

    def build(**overrides):
        birth = overrides.pop("birth_date", datetime.date(1985, 3, 12))
        data = {
            "name": "张三",
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date": birth,
            "id_number": make_id_number(birth, 17),
            "education": "bachelor",
            "category": "full",
            "joined_on": datetime.date(2010, 7, 1),
            "full_member_on": datetime.date(2011, 7, 1),
            "phone": "13912345678",
            "department": "办公室",
            "post": "科员",
            "is_leading_cadre": False,
        }
        data.update(overrides)
        return data

    return build
