"""The one presentation of moments, dates, time left and numbers (portal/presentation.py), in
English and in Chinese."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.presentation import (
    date_text,
    day_text,
    moment_text,
    month_text,
    number_text,
    time_left_text,
)

MOMENT = dt.datetime(2026, 12, 6, 16, 18, 5, tzinfo=dt.UTC)


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_moment_names_its_day_month_and_zone_in_english():
    assert moment_text(MOMENT, "UTC") == "6 Dec 2026, 16:18 UTC"


def test_a_moment_reads_as_a_chinese_date_in_chinese(chinese):
    assert moment_text(MOMENT, "UTC") == "2026年12月6日 16:18 UTC"


def test_a_moment_is_shown_in_the_zone_asked_for_and_names_it():
    assert moment_text(MOMENT, "Asia/Shanghai") == "7 Dec 2026, 00:18 Asia/Shanghai"
    assert moment_text(MOMENT, zoneinfo.ZoneInfo("America/Sao_Paulo")) == (
        "6 Dec 2026, 13:18 America/Sao_Paulo"
    )


def test_a_moment_without_a_zone_is_in_the_readers_zone():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert moment_text(MOMENT) == "6 Dec 2026, 17:18 Europe/Paris"


def test_a_moment_can_be_exact_to_the_second(chinese):
    assert moment_text(MOMENT, "Asia/Shanghai", seconds=True) == (
        "2026年12月7日 00:18:05 Asia/Shanghai"
    )


def test_a_date_a_day_and_a_month_in_both_languages():
    day = dt.date(2027, 2, 5)
    assert (date_text(day), day_text(day), month_text(day)) == (
        "5 Feb 2027",
        "5 Feb",
        "February 2027",
    )
    with translation.override("zh-hans"):
        assert (date_text(day), day_text(day), month_text(day)) == (
            "2027年2月5日",
            "2月5日",
            "2027年2月",
        )


@pytest.mark.parametrize(
    ("left", "english", "chinese"),
    [
        # Sixty days were "1 month, 4 weeks" and "1 月，4 周" (read as January).
        (dt.timedelta(days=60), "60 days left", "还剩 60 天"),
        (dt.timedelta(days=2), "2 days left", "还剩 2 天"),
        # Below two days, hours: "1 day" would hide most of a second day.
        (dt.timedelta(days=1, hours=23), "47 hours left", "还剩 47 小时"),
        (dt.timedelta(hours=3, minutes=59), "3 hours left", "还剩 3 小时"),
        (dt.timedelta(minutes=90), "90 minutes left", "还剩 90 分钟"),
        (dt.timedelta(seconds=20), "1 minute left", "还剩 1 分钟"),
        (dt.timedelta(0), "deadline passed", "已截止"),
        (-dt.timedelta(days=3), "deadline passed", "已截止"),
    ],
)
def test_the_time_left_reads_right_in_both_languages(left, english, chinese):
    now = MOMENT - left
    assert time_left_text(MOMENT, now) == english
    with translation.override("zh-hans"):
        assert time_left_text(MOMENT, now) == chinese


def test_one_minute_is_singular():
    assert time_left_text(MOMENT, MOMENT - dt.timedelta(hours=1, minutes=1)) == "61 minutes left"
    assert time_left_text(MOMENT, MOMENT - dt.timedelta(seconds=60)) == "1 minute left"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12.50"), "12.5"),
        (Decimal("80.000"), "80"),
        (Decimal("3.125"), "3.125"),
        (Decimal("0.000"), "0"),
        (Decimal("1E+2"), "100"),
        (7, "7"),
        (2.5, "2.5"),
        (None, ""),
    ],
)
def test_a_number_drops_its_trailing_zeros(value, shown):
    assert number_text(value) == shown


def test_a_number_can_be_rounded_first():
    assert number_text(Decimal(100) / 3, 1) == "33.3"
    assert number_text(Decimal("2.25"), 1) == "2.3"
    assert number_text(Decimal(50), 1) == "50"


def test_the_template_library_gives_the_same_presentation():
    template = Template(
        "{% load present %}{{ at|moment:'Asia/Shanghai' }}|{{ at|exact_moment:'UTC' }}|"
        "{{ at|day }}|{{ at|month }}|{{ at|time_left:now }}|{{ figure|number }}|{{ none|moment }}"
    )
    context = Context(
        {"at": MOMENT, "now": MOMENT - dt.timedelta(days=60), "figure": Decimal("12.50")}
    )
    assert template.render(context) == (
        "7 Dec 2026, 00:18 Asia/Shanghai|6 Dec 2026, 16:18:05 UTC|"
        "6 Dec 2026|December 2026|60 days left|12.5|"
    )
