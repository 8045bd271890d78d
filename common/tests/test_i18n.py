"""Chinese first; Traditional Chinese and English are served from their compiled catalogs."""

from django.urls import reverse


def test_the_login_page_is_simplified_chinese_by_default(client, db):
    assert "登录支部工作台" in client.get(reverse("accounts:login")).content.decode()


def test_traditional_chinese_is_served_from_the_catalog(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-Hant")
    text = response.content.decode()
    assert "登錄支部工作台" in text
    assert 'lang="zh-hant"' in text


def test_a_visitor_can_switch_language(client, db):
    response = client.post(reverse("set_language"), {"language": "zh-hant", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert "登錄支部工作台" in client.get(reverse("accounts:login")).content.decode()


def test_english_is_served_from_the_catalog(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert 'lang="en"' in text
    assert "登录支部工作台" not in text


def test_every_string_has_an_english_and_a_traditional_translation():
    """The catalogs are complete (make messages fills zh-Hant; English is translated by hand), and
    every translation keeps the placeholders of its source."""
    import re
    from pathlib import Path

    import polib

    placeholder = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}")
    locale = Path(__file__).resolve().parents[2] / "locale"
    for lang in ("en", "zh_Hant"):
        po = polib.pofile(str(locale / lang / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
        assert missing == [], f"{lang}: {len(missing)} untranslated, e.g. {missing[:3]}"
        for e in po:
            if e.obsolete or e.msgid_plural:
                continue
            assert sorted(placeholder.findall(e.msgid)) == sorted(placeholder.findall(e.msgstr)), (lang, e.msgid)


def test_the_switcher_names_each_language_in_itself(client, db):
    for accept in ("zh-Hans", "zh-Hant", "en"):
        text = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        for code, name in (("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")):
            assert f'value="{code}" class="link' in text and f'lang="{code}">{name}</button>' in text, (accept, name)
        assert "英语" not in text and "英語" not in text


def test_english_pages_print_dates_in_an_english_format(personas, login):
    import datetime

    from django.utils import dateformat

    client = login(personas.staff)
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en")
    today = response.context["today"]
    text = response.content.decode()
    assert f"{today.year}年{today.month}月{today.day}日" not in text
    assert dateformat.format(today, "N j, Y") in text
    chinese = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert f"{today.year}年{today.month}月{today.day}日" in chinese
    assert isinstance(today, datetime.date)


def test_month_and_day_follow_the_language():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ d|date:"MONTH_DAY_FORMAT" }}')
    day = datetime.date(2027, 3, 5)
    with translation.override("zh-hans"):
        assert template.render(Context({"d": day})) == "3月5日"
    with translation.override("en"):
        assert template.render(Context({"d": day})) == "March 5"


def test_traditional_chinese_follows_the_seeds_characters():
    """The seed writes 為 and 台; OpenCC's generic table (s2t) would write 爲 and 臺 (issue 12)."""
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    odd = [e.msgstr for e in po if not e.obsolete and ("爲" in e.msgstr or "臺" in e.msgstr)]
    assert odd == []
