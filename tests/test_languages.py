"""The Simplified Chinese catalogue is complete and the public pages really render in Chinese."""

import ast
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from intents.demo import seed
from intents.models import Assignment, Call, Decision, LetterOfIntent
from intents.office import actions as office_actions
from portal.accounts.models import User
from portal.notifications.models import OutboundEmail

from .factories import turn_on_totp

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)s")
MARKUP = re.compile(r"<[^>]+>")
BASE = "templates/base.html"
DEADLINE = "templates/partials/_deadline.html"
BADGE = "templates/partials/_progress_badge.html"
PAGINATION = "templates/partials/_pagination.html"
AGGREGATE = "templates/partials/_aggregate.html"
REVIEWER = "templates/intents/reviewing/reviewer/"
OFFICE_REVIEWING = "templates/intents/reviewing/office/"
OFFICE = "templates/intents/office/"
CALL_NAV = OFFICE + "_call_nav.html"
SETTINGS_NAV = OFFICE + "config/_settings_nav.html"
LETTER_DECISION = OFFICE + "letters/_decision.html"
VERIFICATION_STATE = "templates/partials/_verification_state.html"
LETTER_FIELDS = "templates/partials/_letter_fields.html"
# Choice labels (progress, conflict kinds, recommendations) and the reviewing forms.
REVIEW_MODELS = "intents/models/review.py"
REVIEW_FORMS = "intents/reviewing/forms.py"
# The office's forms, filters and labels (settings, extensions, verification, decisions, audit).
OFFICE_FORMS = [
    "intents/office/forms/call_settings.py",
    "intents/office/forms/call_rows.py",
    "intents/office/forms/extensions.py",
    "intents/office/forms/verification.py",
    "intents/office/filters/organisations.py",
]
OFFICE_FILTERS = "intents/office/filters/letters.py"
FILTER_LAYOUT = "portal/filter_layout.py"
DECISION_FORMS = "intents/office/forms/decisions.py"
DECISION_MODEL = "intents/models/decision.py"


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
    # The demo officer sets up an authenticator app at the first sign-in; skip that step here.
    turn_on_totp(User.objects.get(email="officer@example.org"))


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
    assert english_leaks(page, [BASE, "templates/intents/letters/home.html"]) == []


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
    assert english_leaks(page, [BASE, "templates/intents/letters/call_detail.html", DEADLINE]) == []


def test_call_page_start_form_in_chinese(client, demo):
    applicant = User.objects.get(email="applicant@example.org")
    applicant.language = "zh-hans"
    applicant.save()
    client.force_login(applicant)
    page = get_chinese(client, "/calls/change-8/")
    for chinese in ["起草意向书", "机构", "暂定标题", "创建草稿", "退出登录"]:
        assert chinese in page, chinese
    # forms.py also holds the letter form, which is not on this page: only leaks are checked.
    sources = [
        BASE,
        "templates/intents/letters/call_detail.html",
        DEADLINE,
        "intents/letters/forms.py",
    ]
    assert english_leaks(page, sources) == []


def test_leak_check_catches_english(client, demo):
    page = client.get("/calls/change-8/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    leaks = english_leaks(page, [BASE, "templates/intents/letters/call_detail.html", DEADLINE])
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
        "templates/partials/_letter_fields.html",
        DEADLINE,
        BADGE,
        AGGREGATE,
        REVIEW_MODELS,
        "intents/reviewing/views/reviewer.py",
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
        [
            "项目办公室",
            "嫦娥八号国际合作意向书征集",
            "截止时间",
            "机构",
            "审计日志",
            "新建合作征集",
        ],
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
    sources = [
        BASE,
        OFFICE_REVIEWING + "reviewer_pool.html",
        OFFICE + "_call_nav.html",
        REVIEW_FORMS,
    ]
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
        OFFICE_REVIEWING + "assignments.html",
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
    sources = [BASE, OFFICE_REVIEWING + "letter_assign.html", OFFICE + "_call_nav.html", BADGE]
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
    sources = [
        BASE,
        OFFICE_REVIEWING + "assignment_run.html",
        OFFICE + "_call_nav.html",
        PAGINATION,
    ]
    assert english_leaks(page, [*sources, "intents/reviewing/views/office.py"]) == []


def test_office_assignment_run_explains_the_shortfall_in_chinese(client, demo):
    page = run_automatic_assignment_in_chinese(client)
    assert "already reads this letter" not in page


def sign_in_officer_in_chinese(client):
    return sign_in_in_chinese(client, "officer@example.org")


def demo_submitted_letter():
    return LetterOfIntent.objects.get(title="Polar Micro-Rover")


def test_office_dashboard_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/")
    assert_chinese(
        page,
        [
            "概览",
            "排名",
            "导出",
            "延期",
            "已注册机构",
            "有草稿的机构",
            "1 份草稿尚未提交。草稿仅对所属机构可见。",
            "来自 1 个机构。",
            "已收到的评审意见",
            "已提交意向书数 × 每份意向书 3 名评审专家。",
            "意向书起草与提交进度（对照截止时间）",
            "按国家/地区统计的已提交意向书",
            "按合作模式统计的已提交意向书",
            "从注册到提交",
            "已就本合作征集起草意向书",
            "各评审专家评审进度",
            "以表格显示数据",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        DEADLINE,
        *(
            OFFICE + "dashboard/" + name
            for name in [
                "dashboard.html",
                "_figures.html",
                "_timeline.html",
                "_bars.html",
                "_funnel.html",
                "_reviewers.html",
            ]
        ),
        "intents/office/dashboard.py",
        "intents/office/views/dashboard.py",
    ]
    assert english_leaks(page, sources) == []


DESCENDING_SORT = re.compile(r'<option value="-[a-z_]+"[^>]*>[^<]*</option>')


def test_office_letters_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/letters/")
    assert_chinese(
        page,
        [
            "仅显示已提交的意向书：草稿在提交前仅属该机构的工作文稿。",
            "编号、标题或机构名称。",
            "机构类型",
            "评审专家人数少于合作征集要求",
            "尚未作出决定",
            "排序方式",
            "显示意向书",
            "共 1 份意向书",
            "Polar Micro-Rover",
            "0 / 3",
            "待定",
            "对所勾选的意向书作出决定",
            "决定在项目办公室发布之前不对外公开。",
            "如留空，各意向书保留其现有备注。",
            "记录此决定",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "letters/list.html",
        LETTER_DECISION,
        PAGINATION,
        OFFICE_FILTERS,
        FILTER_LAYOUT,
        DECISION_FORMS,
        DECISION_MODEL,
    ]
    # The descending sort labels are a known leak, checked by the test below.
    assert english_leaks(DESCENDING_SORT.sub("", page), sources) == []


def test_office_letters_descending_sort_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/letters/")
    descending = DESCENDING_SORT.findall(page)
    assert len(descending) == 7
    assert not any("descending" in option for option in descending)


def test_office_letter_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    letter = demo_submitted_letter()
    page = get_chinese(client, f"/office/letters/{letter.pk}/")
    assert_chinese(
        page,
        [
            "Polar Micro-Rover",
            letter.reference,
            "分配评审专家",
            "作出决定",
            "返回意向书列表",
            "意向书内容",
            "上传时间",
            "已收到 0 / 3 份评审意见。",
            "尚未完成的评审分配",
            "尚无评审专家声明与本意向书存在利益冲突。",
            "审计记录",
            "未核验",
            "核验",
            "待定",
            "已提交版本",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "letters/detail.html",
        LETTER_DECISION,
        LETTER_FIELDS,
        AGGREGATE,
        BADGE,
        REVIEW_MODELS,
    ]
    assert english_leaks(page, sources) == []


def test_office_ranking_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/ranking/")
    assert_chinese(
        page,
        [
            "排名",
            "意向书依次按评审意见的加权得分平均分（1 至 5 分）",
            "名次",
            "平均分",
            "科学与探测价值",
            "权重 3",
            "评审",
            "Polar Micro-Rover",
            "待定",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "letters/ranking.html",
        LETTER_DECISION,
        PAGINATION,
        REVIEW_MODELS,
    ]
    assert english_leaks(page, sources) == []


def test_office_decisions_release_in_chinese(client, demo):
    officer = sign_in_officer_in_chinese(client)
    url = "/office/calls/change-8/decisions/release/"
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "decisions/release.html",
        PAGINATION,
        DECISION_FORMS,
        DECISION_MODEL,
    ]

    page = get_chinese(client, url)
    assert_chinese(
        page,
        [
            "决定在您发布之前不对外公开。",
            "待发布",
            "已发布",
            "合计",
            "尚未作出决定的意向书",
            "评审中的 1 份意向书尚未作出决定。",
            "对所勾选的意向书作出决定",
            "记录此决定",
            "待发送的邮件",
            "没有待发布的决定。",
        ],
    )
    assert english_leaks(page, sources) == []

    letter = demo_submitted_letter()
    office_actions.decide(
        user=officer, letter_id=letter.pk, outcome=Decision.Outcome.SELECTED, note=""
    )
    page = get_chinese(client, url)
    assert_chinese(
        page,
        [
            "已入选",
            "收件人：",
            "partner@example.org",
            "发布后不可撤回：1 个申请方将立即获知决定，且决定不可再更改。",
            "本人已阅读邮件预览",
            "发布决定并发送邮件",
        ],
    )
    # The preview itself is in the recipient's language (English here): only the page is checked.
    assert english_leaks(page, sources) == []


def test_office_exports_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/exports/")
    assert_chinese(
        page,
        [
            "表格",
            "时间均为 UTC。每次下载均记入审计日志。",
            "每份已提交的意向书占一行",
            "每份已提交的评审意见占一行",
            "全部已提交文件",
            "打包文件",
            "文件归档包",
            "尚未申请文件归档包。",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "exports/exports.html",
        OFFICE + "exports/_progress.html",
        PAGINATION,
        "intents/models/export.py",
    ]
    assert english_leaks(page, sources) == []


def test_office_audit_log_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/audit/")
    assert_chinese(
        page,
        [
            "审计日志",
            "下载这些事件（CSV）",
            "操作人电子邮箱包含",
            "截止日期（含当日）",
            "显示事件",
            "共 7 条事件，按时间由近及远排列。",  # the demo's six and the officer's sign-in
            "已分配评审专家",
            "已提交意向书",
            "已上传文件",
            "已起草意向书",
            # The events in words (portal/audit/sentences.py and the apps' audit_kinds).
            "事件内容",
            "意向书已提交，编号",
            "已上传文件“",
        ],
    )
    sources = [
        BASE,
        OFFICE + "audit/log.html",
        PAGINATION,
        FILTER_LAYOUT,
        "intents/office/filters/audit.py",
        "intents/office/views/audit.py",
        "portal/audit/sentences.py",
        "portal/security/audit_kinds.py",
        "intents/letters/audit_kinds.py",
        "intents/reviewing/audit_kinds.py",
        "intents/office/audit_kinds.py",
    ]
    assert english_leaks(page, sources) == []


def test_office_call_settings_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/settings/")
    assert_chinese(
        page,
        [
            "基本设置",
            "评分标准",
            "合作征集设置",
            "本页时间均按官方时区 Asia/Shanghai 显示。",
            "按官方时区。",
            "已有意向书使用此前缀的编号，因此前缀不可再更改。",
            "提醒（截止时间前的小时数）",
            "申请方在收到决定时可查看评审专家可反馈的意见",
            "保存设置",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        SETTINGS_NAV,
        OFFICE + "config/call_settings.html",
        *OFFICE_FORMS,
        "intents/models/call.py",
    ]
    assert english_leaks(page, sources) == []


def test_office_rubric_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/settings/rubric/")
    assert_chinese(
        page,
        [
            "评分标准",
            "评审专家对每个评分项打分",
            "已保存的权重",
            "占总分比例",
            "科学与探测价值",
            "列表中的排序位置",
            "新增评分项",
            "保存修改",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        SETTINGS_NAV,
        OFFICE + "config/rows_page.html",
        OFFICE + "config/rubric.html",
        *OFFICE_FORMS,
        "intents/models/call.py",
    ]
    assert english_leaks(page, sources) == []


def test_office_extensions_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/change-8/extensions/")
    # The demo's deadline is 60 days from today.
    call = Call.objects.get(slug="change-8")
    at = call.closes_at.astimezone(call.zone)
    closes = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M:%S} Asia/Shanghai"
    assert_chinese(
        page,
        [
            f"本合作征集于 {closes} 截止。",
            "新截止时间（Asia/Shanghai）",
            "准予人",
            "尚无机构获准延期。",
            "准予延期",
            "按本合作征集的官方时区 Asia/Shanghai；须晚于本合作征集的截止时间。",
            "该机构成员可在合作征集页面上看到此内容。",
        ],
    )
    sources = [
        BASE,
        CALL_NAV,
        OFFICE + "config/extensions.html",
        PAGINATION,
        *OFFICE_FORMS,
    ]
    assert english_leaks(page, sources) == []


def test_office_organisations_in_chinese(client, demo):
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/organisations/")
    assert_chinese(
        page,
        [
            "机构",
            "不限",
            "已要求补充信息",
            "筛选",
            "共 2 个机构",
            "已提交的意向书",
            "Andean Space Robotics",
            "企业",
            "尚未核验",
        ],
    )
    sources = [
        BASE,
        OFFICE + "config/organisations.html",
        VERIFICATION_STATE,
        PAGINATION,
        *OFFICE_FORMS,
        "portal/organisations/models.py",
    ]
    assert english_leaks(page, sources) == []


def test_decision_email_in_chinese(demo):
    partner = User.objects.get(email="partner@example.org")
    partner.language = "zh-hans"
    partner.save()
    officer = User.objects.get(email="officer@example.org")
    letter = demo_submitted_letter()
    office_actions.decide(
        user=officer, letter_id=letter.pk, outcome=Decision.Outcome.SELECTED, note=""
    )
    released = office_actions.release_decisions(
        user=officer, call_id=Call.objects.get(slug="change-8").pk
    )
    assert len(released) == 1

    email = OutboundEmail.objects.get(
        to="partner@example.org", idempotency_key__startswith="decision:"
    )
    assert email.subject == f"关于您的意向书 {letter.reference} 的决定：已入选"
    # It comes from the portal under its Chinese name.
    assert email.sender.startswith("探月合作门户 <")
    for body in [email.body_text, email.body_html]:
        assert_chinese(
            body,
            [
                "尊敬的 Camila Rojas：",
                "项目办公室已就您针对“嫦娥八号国际合作意向书征集”提交的意向书作出决定。",
                f"编号：{letter.reference}",
                "标题：Polar Micro-Rover",
                "决定：已入选",
                "项目办公室将于近期与您联系",
            ],
        )
    assert "查看您的意向书" in email.body_html
    assert "您的意向书：" in email.body_text
    sources = [
        "templates/emails/base.html",
        "templates/emails/decision.html",
        "templates/emails/decision.txt",
        "templates/emails/decision_subject.txt",
        "intents/office/decisions.py",
        DECISION_MODEL,
    ]
    for text in [email.subject, email.body_text, email.body_html]:
        assert english_leaks(text, sources) == []


def test_the_reference_prefix_is_explained_by_an_example_in_chinese(client, demo):
    """Not by a placeholder word ("PREFIX-LOI-0001"), which stayed English in Chinese."""
    sign_in_officer_in_chinese(client)
    page = get_chinese(client, "/office/calls/new/")
    assert "仅限大写字母和数字，例如 CE8：意向书编号即形如 CE8-LOI-0001。" in page
    assert "PREFIX" not in page
    assert english_leaks(page, [*OFFICE_FORMS, "intents/models/call.py"]) == []
