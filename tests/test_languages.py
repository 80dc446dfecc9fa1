"""The Simplified Chinese catalogue is complete and the public pages really render in Chinese."""

import ast
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from intents.demo import seed
from portal.accounts.models import User

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)s")
MARKUP = re.compile(r"<[^>]+>")
BASE = "templates/base.html"
DEADLINE = "templates/partials/deadline.html"


def catalogue():
    """The .po entries as dicts (a small reader, so the tests need no extra package)."""
    entries, entry, key = [], None, None
    for line in [*PO_PATH.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"occurrences": [], "flags": [], "msgstr": {}}
        if line.startswith("#:"):
            entry["occurrences"] += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += text
            else:
                entry[key] += text
        else:
            keyword, value = line.split(" ", 1)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            key = int(plural.group(1)) if plural else keyword
            if isinstance(key, int):
                entry["msgstr"][key] = ast.literal_eval(value)
            elif key == "msgstr":
                key = -1
                entry["msgstr"][key] = ast.literal_eval(value)
            else:
                entry[key] = ast.literal_eval(value)
    header = next(entry for entry in entries if entry.get("msgid") == "")
    return header, [entry for entry in entries if entry.get("msgid")]


def english_leaks(page, sources):
    """The English msgids used by `sources` that still appear in `page`.

    Only fragments long enough to be unambiguous are checked: "d", "h" or "UTC" would match
    markup or data, not a forgotten translation.
    """
    text = html.unescape(page)
    leaks = []
    for entry in catalogue()[1]:
        if not any(path.endswith(source) for path in entry["occurrences"] for source in sources):
            continue
        for msgid in filter(None, [entry["msgid"], entry.get("msgid_plural")]):
            fragments = PLACEHOLDER.split(MARKUP.sub(" ", msgid))
            longest = max((fragment.strip() for fragment in fragments), key=len)
            if len(longest) >= 8 and " " in longest and longest in text:
                leaks.append(msgid)
    return leaks


def test_catalogue_is_complete_and_clean():
    header, entries = catalogue()
    assert "fuzzy" not in header["flags"]
    metadata = header["msgstr"][-1]
    assert "Language: zh_Hans\n" in metadata
    assert "Plural-Forms: nplurals=1; plural=0;\n" in metadata
    assert "charset=UTF-8" in metadata
    assert len(entries) > 300
    for entry in entries:
        msgid = entry["msgid"]
        assert "fuzzy" not in entry["flags"], msgid
        if "msgid_plural" in entry:
            assert list(entry["msgstr"]) == [0], msgid
        else:
            assert list(entry["msgstr"]) == [-1], msgid
        for msgstr in entry["msgstr"].values():
            assert msgstr, msgid
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid))
            assert sorted(MARKUP.findall(msgstr)) == sorted(MARKUP.findall(msgid))


@pytest.fixture
def demo(db):
    seed()


def get_chinese(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    return page


def test_home_page_in_chinese(client, demo):
    page = get_chinese(client, "/")
    for chinese in [
        "探月合作门户",
        "合作征集",
        "征集中",
        "截止时间",
        "嫦娥八号国际合作意向书征集",
        "登录",
        "注册",
    ]:
        assert chinese in page, chinese
    assert english_leaks(page, [BASE, "templates/intents/home.html"]) == []


def test_call_page_in_chinese(client, demo):
    page = get_chinese(client, "/calls/change-8/")
    for chinese in [
        "嫦娥八号国际合作意向书征集",
        "合作模式",
        "所需文件",
        "意向书提交截止时间",
        "官方时间",
        "剩余时间",
        'data-units="天 小时 分钟 秒"',
        "注册以提交申请",
    ]:
        assert chinese in page, chinese
    assert english_leaks(page, [BASE, "templates/intents/call_detail.html", DEADLINE]) == []


def test_call_page_start_form_in_chinese(client, demo):
    applicant = User.objects.get(email="applicant@example.org")
    applicant.language = "zh-hans"
    applicant.save()
    client.force_login(applicant)
    page = get_chinese(client, "/calls/change-8/")
    for chinese in ["起草意向书", "机构", "暂定标题", "创建草稿", "退出登录"]:
        assert chinese in page, chinese
    # forms.py also holds the letter form, which is not on this page: only leaks are checked.
    sources = [BASE, "templates/intents/call_detail.html", DEADLINE, "intents/forms.py"]
    assert english_leaks(page, sources) == []


def test_leak_check_catches_english(client, demo):
    page = client.get("/calls/change-8/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    leaks = english_leaks(page, [BASE, "templates/intents/call_detail.html", DEADLINE])
    assert "Deadline for letters of intent" in leaks
    assert "Lunar cooperation portal" in leaks


def test_a_signed_in_user_gets_their_own_language_whatever_the_browser_asks(client, demo):
    applicant = User.objects.get(email="applicant@example.org")
    applicant.language = "zh-hans"
    applicant.save()
    client.force_login(applicant)
    response = client.get("/calls/change-8/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"
    assert "嫦娥八号" in response.content.decode()
