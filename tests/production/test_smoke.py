"""Production smoke test: every page type each role can reach, over HTTP, on the real stack.

DEBUG off, SECURE on, static files collected (WhiteNoise's compressed manifest storage),
gunicorn, a Celery worker and beat, PostgreSQL, Redis and an S3 server (tests/production/
stack.py). Each role of the access matrix (tests/test_access.py) signs in through the real
forms (the officer with an authenticator code) and asks for every page of the matrix, with real
ids from the stack's database; each must answer what the matrix says that role gets, and never
500. The static files the pages name answer 200 under their hashed names, and /healthz
answers 200 with every dependency up. An upload over HTTP lands in the bucket.
"""

import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from .stack import HASHED, static_references

pytestmark = pytest.mark.production

# The matrix's outcomes (tests/test_access.py) as the status codes a GET may answer. A role
# that must type its password again is sent to do so, unless it signed in in the last few
# minutes, as it just did here through the real form: then the page itself answers.
STATUSES = {
    "shown": {200},
    "done": {302},
    "login": {302},
    "admin login": {302},
    "password again": {200, 302},
    "redirect": {302},
    "bounced": {302},
    "hidden": {404},
    "denied": {403},
    "post only": {405},
    "get only": {405},
}
SIGN_IN_PAGES = {"login": "/accounts/login/?next=", "admin login": "/admin/login/?next="}


@pytest.fixture(scope="module")
def world(stack):
    """The access matrix's world in the stack's database, with each GET row's real path."""
    return stack.build("world", "access")


@pytest.fixture(scope="module")
def browsers(stack, world):
    """A browser per role, signed in through the real forms (none for the anonymous)."""
    node = stack.nodes["a"]
    roles = sorted(world["users"])

    def signed_in(number, role):
        browser = node.browser(client_ip=f"203.0.113.{number}")
        account = world["users"][role]
        if account is not None:
            browser.sign_in(account["email"], account["password"], account["totp_secret"])
        return browser

    with ThreadPoolExecutor(max_workers=4) as pool:
        browsers = pool.map(signed_in, range(10, 10 + len(roles)), roles)
        return dict(zip(roles, browsers, strict=True))


def wrong_answer(response, outcome):
    """Why the response is not what the matrix says, or None."""
    if response.status_code >= 500:
        return f"{response.status_code} (server error)"
    if response.status_code not in STATUSES[outcome]:
        return f"{response.status_code}, expected {outcome} {sorted(STATUSES[outcome])}"
    where = response.headers.get("Location", "")
    if outcome in SIGN_IN_PAGES and not where.startswith(SIGN_IN_PAGES[outcome]):
        return f"302 to {where}, expected {outcome}"
    return None


def visit(browser, rows):
    """GET each row's path; the wrong answers, and the static files the pages name."""
    wrong, static = [], set()
    for row in rows:
        response = browser.get(row["path"])
        problem = wrong_answer(response, row["outcome"])
        if problem:
            wrong.append(f"{row['role']:>20} GET {row['path']} ({row['url_name']}): {problem}")
        if response.headers.get("Content-Type", "").startswith("text/html"):
            static |= static_references(response.text)
    return wrong, static


@pytest.fixture(scope="module")
def visited(world, browsers):
    """Every GET row of the matrix, each role in a thread of its own."""
    by_role = {}
    for row in world["rows"]:
        by_role.setdefault(row["role"], []).append(row)
    with ThreadPoolExecutor(max_workers=len(by_role)) as pool:
        results = list(pool.map(lambda role: visit(browsers[role], by_role[role]), sorted(by_role)))
    wrong = sorted(line for lines, _static in results for line in lines)
    static = set().union(*(static for _lines, static in results))
    return {"wrong": wrong, "static": static, "count": len(world["rows"])}


def test_release_ran_on_two_nodes_at_once_and_migrated_once(stack):
    applied = [log for log in stack.release_logs if "Applying " in log]
    idle = [log for log in stack.release_logs if "No migrations to apply" in log]
    assert len(applied) == 1 and len(idle) == 1, "\n-----\n".join(stack.release_logs)
    assert all("Waiting for the migration lock" in log for log in stack.release_logs)


def test_every_page_answers_each_role_as_the_access_matrix_says(stack, visited):
    assert visited["count"] > 1000
    assert not visited["wrong"], (
        f"{len(visited['wrong'])} of {visited['count']} pages answered wrongly:\n"
        + "\n".join(visited["wrong"])
        + "\n\n"
        + stack.report(40)
    )


def test_every_role_in_the_matrix_signed_in_through_the_forms(world, browsers):
    profile = next(row["path"] for row in world["rows"] if row["url_name"] == "accounts:profile")
    not_in = [
        role
        for role, browser in browsers.items()
        if role != "anonymous" and browser.get(profile).status_code != 200
    ]
    assert not not_in, f"not signed in: {not_in}"
    assert {"owner", "reviewer", "officer", "anonymous"} <= set(browsers)


def test_static_files_answer_under_their_hashed_names(stack, visited):
    assert any(path.endswith(".css") for path in visited["static"]), visited["static"]
    browser = stack.nodes["a"].browser()
    wrong = []
    for path in sorted(visited["static"]):
        name = path.split("?")[0]
        response = browser.get(path, headers={"Accept-Encoding": "gzip"})
        if response.status_code != 200:
            wrong.append(f"{path}: {response.status_code}")
        elif not HASHED.search(name):
            wrong.append(f"{path}: not a hashed name (is the manifest storage in use?)")
        elif "immutable" not in response.headers.get("Cache-Control", ""):
            wrong.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')}")
        elif name.endswith((".css", ".js")) and response.headers.get("Content-Encoding") != "gzip":
            wrong.append(f"{path}: not served compressed")
    assert not wrong, "\n".join(wrong)


def test_healthz_answers_200_with_every_dependency_up(stack):
    response = stack.nodes["a"].browser().get("/healthz")
    assert response.status_code == 200, response.text
    body = response.json()
    # Every dependency is up in this stack, and checked for real: Redis (broker and cache)
    # and the S3 bucket, not the laptop's in-process and local stand-ins.
    expected = {"status", "database", "broker", "cache", "storage"}
    assert expected <= set(body), body
    assert all(state == "ok" for state in body.values()), body


def test_a_request_id_from_the_proxy_is_echoed_and_names_the_requests_log_lines(stack):
    node = stack.nodes["a"]
    browser = node.browser()
    browser.session.headers["X-Request-ID"] = "smoke-request-0001"
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "smoke-request-0001"
    lines = [json.loads(line) for line in node.process.text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "smoke-request-0001"]
    # gunicorn's access line and Django's own "Not Found" line, both JSON.
    assert {line.get("logger", "access") for line in mine} >= {"access", "django.request"}, mine
    assert all("timestamp" in line or "time" in line for line in mine), mine


def test_metrics_answer_the_scraper_with_every_workers_requests_and_nobody_else(stack):
    node = stack.nodes["a"]
    anonymous = node.browser()
    assert anonymous.get("/metrics").status_code == 404
    scraper = node.browser()
    scraper.session.headers["Authorization"] = f"Bearer {stack.metrics_token}"
    for _request in range(6):  # spread over the node's two workers
        assert anonymous.get("/healthz").status_code == 200
    response = scraper.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert "portal_outbox_oldest_queued_age_seconds" in text
    assert 'portal_export_jobs{state="done"}' in text
    counted = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("django_http_requests_total_by_view_transport_method_total{")
        and 'view="healthz"' in line
    )
    assert counted >= 6


def test_healthz_answers_plain_http_for_probes(stack):
    """Health probes inside the network speak plain HTTP: no redirect to HTTPS."""
    import requests

    response = requests.get(f"{stack.nodes['a'].base_url}/healthz", timeout=10)
    assert response.status_code == 200


def test_plain_http_is_sent_to_https(stack):
    import requests

    response = requests.get(f"{stack.nodes['a'].base_url}/", allow_redirects=False, timeout=10)
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")


def test_a_page_is_served_with_the_production_security_headers(stack, browsers):
    response = browsers["anonymous"].get("/")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    cookies = response.headers.get("Set-Cookie", "")
    assert not cookies or "Secure" in cookies


def test_an_unknown_page_is_the_404_page_not_a_debug_page(stack, browsers):
    response = browsers["anonymous"].get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" not in response.text and "Traceback" not in response.text


def test_an_upload_over_http_lands_in_the_bucket_and_comes_back_whole(stack, world, browsers):
    from tests.factories import pdf_bytes

    owner = browsers["owner"]
    letter = f"/letters/{world['letter']}/"
    before = set(stack.s3.keys())
    content = pdf_bytes(2)
    response = owner.post(
        f"{letter}documents/",
        {"document_type": world["document_type"]},
        form_from=letter,
        files={"file": ("annex-over-http.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == letter

    page = owner.get(letter).text
    assert "annex-over-http.pdf" in page
    assert "was uploaded and checked" in page, page[:3000]
    added = set(stack.s3.keys()) - before
    assert len(added) == 1, added
    assert next(iter(added)).startswith("portal/")
    downloads = re.findall(rf'href="({letter}documents/(\d+)/)"', page)
    newest = max(downloads, key=lambda link: int(link[1]))[0]
    download = owner.get(newest)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(content).hexdigest()


def test_the_demo_officers_first_sign_in_sets_up_an_authenticator_app(stack):
    """README: the demo officer's first sign-in asks for the password again, then for an
    authenticator app, before any other page opens."""
    from tests.factories import authenticator_code

    email, password = "officer@example.org", "moon-officer-2024"
    browser = stack.nodes["a"].browser(client_ip="203.0.113.90")
    response = browser.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.text[:2000]

    page, path = browser.follow("/office/")
    if "/reauthenticate/" in path:
        response = browser.post(path, {"password": password})
        assert response.status_code == 302, response.text[:2000]
        page, path = browser.follow(response.headers["Location"])
    assert "/2fa/totp/activate/" in path, (path, page.text[:2000])
    assert 'src="data:image/svg+xml' in page.text  # the QR code
    field = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', page.text)
    secret = re.search(r'value="([A-Z2-7]+)"', field.group(0)).group(1)

    # The form of the page shown: each GET of it draws a new secret.
    response = browser.post(path, {"code": authenticator_code(secret)}, page=page)
    assert response.status_code == 302, response.text[:2000]
    page, path = browser.follow(response.headers["Location"])
    assert page.status_code == 200 and "recovery" in path, path
    assert browser.get("/office/").status_code == 200
