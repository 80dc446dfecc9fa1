"""The lists people pick their country and time zone from name them as people do (issue 16,
item 14): no "Naoero" or "Bahamas (The)", no "Factory", "localtime" or "CST6CDT"."""

from django.urls import reverse
from django.utils import translation

from ..factories import UserFactory

NOT_A_PLACE = ["Factory", "localtime", "CST6CDT", "US/Eastern", "Etc/GMT+3", "posixrules"]


def options(page):
    return page.content.decode()


def test_the_profile_offers_the_zones_people_live_in(client, db):
    client.force_login(UserFactory())
    page = options(client.get(reverse("accounts:profile")))
    for zone in ("UTC", "Asia/Shanghai", "Europe/Amsterdam", "America/Sao_Paulo"):
        assert f'<option value="{zone}"' in page
    # Browsers may still name a zone by its older spelling: it must be found.
    assert '<option value="Asia/Calcutta"' in page
    for name in NOT_A_PLACE:
        assert f'<option value="{name}"' not in page


def test_the_country_list_names_countries_as_people_do(client, db):
    client.force_login(UserFactory())
    page = options(client.get(reverse("organisations:create")))
    assert ">Nauru<" in page and ">Bahamas<" in page
    assert "Naoero" not in page and "Bahamas (The)" not in page


def test_in_chinese_too(client, db):
    user = UserFactory(language="zh-hans")
    client.force_login(user)
    with translation.override("zh-hans"):
        page = options(client.get(reverse("organisations:create")))
    assert ">瑙鲁<" in page and ">巴哈马<" in page
