"""The Simplified Chinese catalogue is complete and the public pages really render in Chinese."""

import ast
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from intents.demo import seed
from intents.models import Assignment
from portal.accounts.models import User

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)s")
MARKUP = re.compile(r"<[^>]+>")
BASE = "templates/base.html"
DEADLINE = "templates/partials/deadline.html"
BADGE = "templates/partials/progress_badge.html"
PAGINATION = "templates/partials/pagination.html"
AGGREGATE = "templates/partials/aggregate.html"
REVIEWER = "templates/intents/reviewer/"
OFFICE = "templates/intents/office/"
# Choice labels (progress, conflict kinds, recommendations) and the reviewing forms.
REVIEW_MODELS = "intents/models/review.py"
REVIEW_FORMS = "intents/reviewing/forms.py"


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
        # Chinese has one plural form: msgstr[0] stands for every count, so it follows
        # msgid_plural (msgfmt --check-format wants the plural's placeholders there).
        source = entry.get("msgid_plural", msgid)
        for msgstr in entry["msgstr"].values():
            assert msgstr, msgid
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source))
            assert sorted(MARKUP.findall(msgstr)) == sorted(MARKUP.findall(source))


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


def sign_in_in_chinese(client, email):
    user = User.objects.get(email=email)
    user.language = "zh-hans"
    user.save()
    client.force_login(user)
    return user


def demo_assignment():
    return Assignment.objects.select_related("letter").get(
        reviewer__user__email="reviewer@example.org"
    )


def assert_chinese(page, expected):
    for chinese in expected:
        assert chinese in page, chinese


def test_reviewer_desk_in_chinese(client, demo):
    sign_in_in_chinese(client, "reviewer@example.org")
    page = get_chinese(client, "/review/")
    assert_chinese(
        page,
        [
            "您的评审任务",
            "嫦娥八号国际合作意向书征集",
            "已提交 0 / 1 份评审意见",
            "1 份意向书待您声明利益冲突情况",
            "评审截止时间",
            "分配给您的意向书",
            "待声明利益冲突",
            "Polar Micro-Rover",
        ],
    )
    sources = [BASE, REVIEWER + "desk.html", DEADLINE, BADGE, PAGINATION, REVIEW_MODELS]
    assert english_leaks(page, sources) == []


def test_conflict_question_then_letter_in_chinese(client, demo):
    sign_in_in_chinese(client, "reviewer@example.org")
    assignment = demo_assignment()
    url = f"/review/assignments/{assignment.pk}/"

    page = get_chinese(client, url)
    assert_chinese(
        page,
        [
            "阅读前请确认：是否存在利益冲突？",
            "您与本意向书是否存在利益冲突？",
            "否，本人与本意向书不存在利益冲突",
            "冲突类型",
            "机构关系",
            "致项目办公室的说明（选填）",
            "提交答复",
        ],
    )
    assert "Regolith" not in page and "9 kg rover" not in page  # nothing before the answer
    sources = [BASE, REVIEWER + "conflict.html", REVIEW_FORMS, REVIEW_MODELS]
    assert english_leaks(page, sources) == []

    response = client.post(f"{url}conflict/", {"answer": "none"})
    assert response.status_code == 302
    assert response["Location"] == url

    page = get_chinese(client, url)
    assert_chinese(
        page,
        [
            "谢谢。您现在可以评审本意向书。",
            "意向书内容",
            "摘要",
            "待评审",
            "您的评审意见",
            "尚未开始。",
            "撰写评审意见",
            "评审截止时间",
        ],
    )
    sources = [
        BASE,
        REVIEWER + "assignment.html",
        "templates/partials/letter_fields.html",
        DEADLINE,
        BADGE,
        AGGREGATE,
        REVIEW_MODELS,
        "intents/views/reviewer.py",
    ]
    assert english_leaks(page, sources) == []


def test_review_form_in_chinese(client, demo):
    sign_in_in_chinese(client, "reviewer@example.org")
    assignment = demo_assignment()
    client.post(f"/review/assignments/{assignment.pk}/conflict/", {"answer": "none"})
    page = get_chinese(client, f"/review/assignments/{assignment.pk}/review/")
    assert_chinese(
        page,
        [
            "您对“Polar Micro-Rover”的评审意见",
            "评分：1 分（较弱）至 5 分（优秀）",
            "科学与探测价值（权重 3）",
            "该提案对任务和月球科学的贡献。",
            "您的评审结论",
            "推荐意见",
            "建议入选",
            "致评审委员会的意见",
            "保存草稿",
            "提交评审意见",
        ],
    )
    sources = [BASE, REVIEWER + "review_form.html", DEADLINE, REVIEW_FORMS, REVIEW_MODELS]
    assert english_leaks(page, sources) == []


def test_office_home_in_chinese(client, demo):
    sign_in_in_chinese(client, "officer@example.org")
    page = get_chinese(client, "/office/")
    assert_chinese(
        page,
        ["项目办公室", "嫦娥八号国际合作意向书征集", "截止时间"],
    )
    assert english_leaks(page, [BASE, OFFICE + "home.html"]) == []


def test_office_reviewer_pool_in_chinese(client, demo):
    sign_in_in_chinese(client, "officer@example.org")
    page = get_chinese(client, "/office/calls/change-8/reviewers/")
    assert_chinese(
        page,
        [
            "评审专家库",
            "所属单位",
            "专业领域",
            "São Paulo Planetary Institute",
            "邀请评审专家",
            "已在门户注册的机构",
            "您可评审的合作模式",
        ],
    )
    sources = [BASE, OFFICE + "reviewer_pool.html", OFFICE + "_call_nav.html", REVIEW_FORMS]
    assert english_leaks(page, sources) == []


def test_office_assignments_in_chinese(client, demo):
    sign_in_in_chinese(client, "officer@example.org")
    page = get_chinese(client, "/office/calls/change-8/assignments/")
    assert_chinese(
        page,
        [
            "评审分配",
            "每份意向书由 3 名评审专家评审。",
            "已有 1 名评审专家加入专家库。",
            "运行自动分配",
            "尚缺 2 名评审专家",
            "待声明利益冲突",
            "尚无已提交的评审意见。",
            "人工分配",
            "已声明的利益冲突",
            "尚无评审专家声明利益冲突。",
        ],
    )
    sources = [
        BASE,
        OFFICE + "assignments.html",
        OFFICE + "_call_nav.html",
        BADGE,
        AGGREGATE,
        PAGINATION,
        REVIEW_MODELS,
    ]
    assert english_leaks(page, sources) == []


def test_office_letter_assignment_in_chinese(client, demo):
    sign_in_in_chinese(client, "officer@example.org")
    letter = demo_assignment().letter
    page = get_chinese(client, f"/office/letters/{letter.pk}/assign/")
    assert_chinese(
        page,
        [f"{letter.reference} 的评审专家", "分配评审专家", "该合作模式专家", "返回评审分配"],
    )
    sources = [BASE, OFFICE + "letter_assign.html", OFFICE + "_call_nav.html", BADGE]
    assert english_leaks(page, sources) == []


def run_automatic_assignment_in_chinese(client):
    sign_in_in_chinese(client, "officer@example.org")
    response = client.post("/office/calls/change-8/assignments/run/")
    assert response.status_code == 302
    return get_chinese(client, response["Location"])


def test_office_assignment_run_in_chinese(client, demo):
    page = run_automatic_assignment_in_chinese(client)
    assert_chinese(
        page,
        [
            "自动分配共完成 0 项评审分配。",
            "待评审意向书",
            "评审专家未能配齐的意向书",
            "尚缺 2 名评审专家。",
            "专家库中的 1 名评审专家中：",
            "无需新增评审分配。",
        ],
    )
    sources = [BASE, OFFICE + "assignment_run.html", OFFICE + "_call_nav.html", PAGINATION]
    assert english_leaks(page, [*sources, "intents/views/office.py"]) == []


def test_office_assignment_run_explains_the_shortfall_in_chinese(client, demo):
    page = run_automatic_assignment_in_chinese(client)
    assert "already reads this letter" not in page
