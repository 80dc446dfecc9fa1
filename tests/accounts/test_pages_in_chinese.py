"""The pages allauth and Django draw for us — signing in and up, passwords and their validators,
e-mail addresses, two-factor authentication — read in Chinese: no English left, and only the
portal's terms (portal/accounts/borrowed_messages.py), never their mixed ones."""

import html
import re

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.accounts import borrowed_messages
from portal.notifications.models import OutboundEmail

from ..factories import PASSWORD, UserFactory, authenticator_code, totp_code, turn_on_totp
from ..test_languages import catalogue

# The words their catalogues mix in and ours replaced (see borrowed_messages' term set).
MIXED_TERMS = ["Email", "APP", "帐", "账号", "电子邮件地址", "登出", "双因素", "两步验证", "你"]
# On these pages a code is always 验证码 or 恢复码; allauth's 代码 reads as program code.
BANNED = [*MIXED_TERMS, "代码"]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Data rather than words: addresses, and what a select, a textarea (the recovery codes),
# a script or a style holds.
DATA = re.compile(r"(?s)<(script|style|select|textarea)\b.*?</\1>|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SHOWN_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
SUBMIT_VALUE = re.compile(r'<input[^>]*type="submit"[^>]*value="([^"]*)"')
NEW_PASSWORD = "雪山-飞狐-1987-长风"


def shown_text(page):
    """What a reader sees or hears of a page: its text and the attributes read out."""
    page = DATA.sub(" ", page)
    attributes = SHOWN_ATTRIBUTE.findall(page) + SUBMIT_VALUE.findall(page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *attributes]))


def assert_in_chinese(response, *expected, data=()):
    """`data`: strings of the page that are no words (the authenticator secret)."""
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    for value in data:
        page = page.replace(value, " ")
    text = shown_text(page)
    assert sorted(set(LATIN_WORD.findall(text)) - {"UTC"}) == []
    assert [term for term in BANNED if term in text] == []
    for chinese in expected:
        assert chinese in text, chinese
    return text


@pytest.fixture
def reader(db):
    """Someone who reads Chinese: the browser asks for it, and so does the account."""
    return UserFactory(email="wang.xiaoming@example.org", full_name="王小明", language="zh-hans")


@pytest.fixture
def chinese(db):
    return Client(headers={"accept-language": "zh-hans"})


def sign_in(client, user):
    """Through allauth's form (force_login skips its steps, and a reauthentication would follow)."""
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


def sign_up(client, password, email="new@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "李雷",
            "time_zone": "Asia/Shanghai",
            "password1": password,
            "password2": password,
        },
    )


def test_the_sign_in_and_sign_out_pages(chinese, reader):
    assert_in_chinese(chinese.get(reverse("account_login")), "电子邮箱", "密码", "忘记密码？")
    wrong = chinese.post(reverse("account_login"), {"login": reader.email, "password": "nope"})
    assert_in_chinese(wrong, "电子邮箱地址或密码不正确。")

    assert_in_chinese(sign_in(chinese, reader))
    assert_in_chinese(chinese.get(reverse("account_logout")), "确定要退出登录吗？")
    signed_out = chinese.post(reverse("account_logout"), follow=True)
    assert_in_chinese(signed_out, "您已退出登录。")


def test_the_sign_up_page_and_its_errors(chinese, reader):
    assert_in_chinese(chinese.get(reverse("account_signup")), "电子邮箱", "已有账户？")
    mistyped = chinese.post(
        reverse("account_signup"),
        {"email": "not-an-address", "password1": NEW_PASSWORD, "password2": "另一个"},
    )
    assert_in_chinese(mistyped, "请输入有效的电子邮箱地址。", "这个字段是必填项。")
    # A taken address is answered as a new one (allauth e-mails its owner instead).
    taken = sign_up(chinese, NEW_PASSWORD, email=reader.email)
    assert taken.status_code == 302
    assert_in_chinese(chinese.get(taken.url), "验证您的电子邮箱地址")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("月亮1号", "密码太短，至少需要 8 个字符。"),  # Django 5.2's message, which had none
        ("password123", "这个密码太常见了。"),
        ("2718281828459", "密码只包含数字。"),
        ("lileinew2026", "密码与电子邮箱地址过于相似。"),
    ],
)
def test_every_password_validator_answers_in_chinese(chinese, db, password, message):
    response = sign_up(chinese, password, email="lileinew@example.org")
    text = assert_in_chinese(response, message)
    # Their help texts, under the field, say 您 as the rest of the portal does.
    assert "您的密码至少需要 8 个字符。" in text


def test_the_password_reset_pages(chinese, reader):
    assert_in_chinese(
        chinese.get(reverse("account_reset_password")), "请在下方输入您的电子邮箱地址"
    )
    sent = chinese.post(reverse("account_reset_password"), {"email": reader.email}, follow=True)
    assert_in_chinese(sent)

    email = OutboundEmail.objects.get(to=reader.email)
    assert email.sender.startswith("探月合作门户 <")  # the e-mail, too, is in Chinese
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", email.body_text)
    form = chinese.get(link.group(1), follow=True)
    assert_in_chinese(form, "新密码")
    too_short = chinese.post(
        form.redirect_chain[-1][0], {"password1": "短密码", "password2": "短密码"}
    )
    assert_in_chinese(too_short, "密码太短，至少需要 8 个字符。")

    spent = chinese.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "spent-key"})
    )
    assert_in_chinese(spent, "链接无效")


def test_the_password_change_page(chinese, reader):
    sign_in(chinese, reader)
    assert_in_chinese(chinese.get(reverse("account_change_password")), "当前密码")
    refused = chinese.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "12345678", "password2": "12345678"},
    )
    assert_in_chinese(refused, "请输入您的当前密码。", "这个密码太常见了。")


def test_the_email_address_pages(chinese, reader):
    sign_in(chinese, reader)
    url = reverse("account_email")
    assert_in_chinese(chinese.get(url), "以下电子邮箱地址已关联到您的账户：", "主要地址", "已核验")
    assert_in_chinese(
        chinese.post(url, {"action_add": "", "email": "nonsense"}), "请输入有效的电子邮箱地址。"
    )
    added = chinese.post(url, {"action_add": "", "email": "wang@example.net"}, follow=True)
    assert_in_chinese(added, "确认邮件已发往", "未核验", "重新发送验证邮件")
    not_yet = chinese.post(url, {"action_primary": "", "email": "wang@example.net"}, follow=True)
    assert_in_chinese(not_yet, "您的主要电子邮箱地址必须先通过验证。")
    kept = chinese.post(url, {"action_remove": "", "email": reader.email}, follow=True)
    assert_in_chinese(kept, "您不能移除您的主要电子邮箱地址")

    email = OutboundEmail.objects.get(to="wang@example.net")
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", email.body_text)
    assert_in_chinese(chinese.get(link.group(1)), "确认电子邮箱地址")
    confirmed = chinese.post(link.group(1), follow=True)
    assert_in_chinese(confirmed, "您已确认电子邮箱地址")
    stale = chinese.get(reverse("account_confirm_email", kwargs={"key": "stale"}))
    assert_in_chinese(stale, "此电子邮箱地址确认链接已失效或无效。")


def test_the_two_factor_pages(chinese, reader):
    chinese.force_login(reader)
    # Confirming the password before a change, and its alternative, a code by e-mail, whose
    # form had no label of its own (Django's "Recipient" showed).
    assert_in_chinese(chinese.get(reverse("account_reauthenticate")), "其他方式")
    assert_in_chinese(chinese.get(reverse("account_request_reauthentication_code")), "验证码发送至")
    assert_in_chinese(chinese.get(reverse("mfa_index")), "双重身份验证", "身份验证器应用")

    activate = reverse("mfa_activate_totp")
    chinese.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate})
    page = chinese.get(activate)
    # The secret is also the QR code's text alternative.
    secret = chinese.session[SECRET_SESSION_KEY]
    assert_in_chinese(page, "请用身份验证器应用扫描下方二维码", data=[secret])
    wrong = chinese.post(activate, {"code": "000000"})
    assert_in_chinese(wrong, "验证码不正确。", data=[secret])
    codes = chinese.post(activate, {"code": authenticator_code(secret)}, follow=True)
    assert_in_chinese(codes, "恢复码")
    assert_in_chinese(chinese.get(reverse("mfa_index")), "已开启身份验证器应用验证。")
    assert_in_chinese(chinese.get(reverse("mfa_generate_recovery_codes")), "新的恢复码")
    assert_in_chinese(chinese.get(reverse("mfa_deactivate_totp")), "停用身份验证器应用")


def test_the_sign_in_code_step(chinese, reader):
    turn_on_totp(reader)
    step = sign_in(chinese, reader)
    assert_in_chinese(step, "您的账户已开启双重身份验证。")
    wrong = chinese.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert_in_chinese(wrong, "验证码不正确。")
    right = chinese.post(reverse("mfa_authenticate"), {"code": totp_code(reader)}, follow=True)
    assert_in_chinese(right)


def test_our_catalogue_keeps_one_term_set():
    assert [
        (entry["msgid"], msgstr)
        for entry in catalogue()[1]
        for msgstr in entry["msgstr"].values()
        if any(term in msgstr for term in MIXED_TERMS)
    ] == []


def borrowed_entries():
    return [
        entry
        for entry in catalogue()[1]
        if "portal/accounts/borrowed_messages.py" in entry["occurrences"]
    ]


def test_every_borrowed_message_is_in_our_catalogue():
    listed = [
        *borrowed_messages.ACCOUNT,
        *borrowed_messages.TWO_FACTOR,
        *borrowed_messages.DJANGO,
    ]
    assert len(borrowed_entries()) == len(listed)


@pytest.mark.parametrize("entry", borrowed_entries(), ids=lambda entry: entry["msgid"][:40])
def test_our_translation_of_a_borrowed_message_wins_over_theirs(entry):
    """LOCALE_PATHS is searched first: what Django answers is ours, in the portal's terms."""
    ours = list(entry["msgstr"].values())[0]
    with translation.override("zh-hans"):
        if "msgid_plural" in entry:
            answer = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
        else:
            answer = translation.gettext(entry["msgid"])
    assert answer == ours
    assert [term for term in BANNED if term in ours] == []
