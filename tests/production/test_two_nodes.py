"""Two web nodes behind one load balancer: whatever one node does, the other serves.

Node A and node B are two gunicorn processes with folders of their own (PORTAL_VAR_DIR), sharing
the database, Redis and the S3 bucket, as two machines would. A browser keeps its cookies from
one node to the other, as a load balancer without sticky sessions would send it. A document
uploaded on A downloads whole from B; the documents ZIP asked for on A, built by the worker,
downloads from B with a manifest that matches its files; decisions released on A and "send
again" pressed on B (and on A, at the same moment) reach each recipient exactly once.
"""

import csv
import hashlib
import io
import re
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.notifications.processes import status_kib, wait_until
from tests.notifications.smtp_sink import message_id

pytestmark = pytest.mark.production

DEMO_APPLICANT = ("applicant@example.org", "moon-applicant-2024")
MiB = 1024 * 1024
BIG_ZIP = 128 * MiB


@pytest.fixture(scope="module")
def nodes(stack):
    return stack.nodes["a"], stack.start_node("b")


@pytest.fixture(scope="module")
def world(stack):
    return stack.build("world", "two_nodes")


@pytest.fixture(scope="module")
def officer(stack, world, nodes):
    """The officer signed in on node A (with the authenticator code); `.on(b)` is the same
    browser sent to node B."""
    browser = nodes[0].browser(client_ip="198.51.100.7")
    account = world["officer"]
    browser.sign_in(account["email"], account["password"], account["totp_secret"])
    return browser


def test_a_session_made_on_a_serves_on_b(stack, world, nodes):
    a, b = nodes
    applicant = a.browser(client_ip="198.51.100.20")
    applicant.sign_in(*DEMO_APPLICANT)
    letter = f"/letters/{world['draft']}/"
    assert applicant.get(letter).status_code == 200
    assert applicant.on(b).get(letter).status_code == 200, "the session made on A is not on B"


def test_a_document_uploaded_on_a_downloads_whole_from_b(stack, world, nodes):
    from tests.factories import pdf_bytes

    a, b = nodes
    applicant = a.browser(client_ip="198.51.100.21")
    applicant.sign_in(*DEMO_APPLICANT)
    letter = f"/letters/{world['draft']}/"
    content = pdf_bytes(3)
    response = applicant.post(
        f"{letter}documents/",
        {"document_type": world["document_type"]},
        form_from=letter,
        files={"file": ("uploaded-on-a.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302, response.text[:2000]

    on_b = applicant.on(b)
    page = on_b.get(letter).text
    links = re.findall(rf'href="({letter}documents/(\d+)/)"[^>]*>\s*uploaded-on-a\.pdf', page)
    links = links or re.findall(rf'href="({letter}documents/(\d+)/)"', page)
    newest = max(links, key=lambda link: int(link[1]))[0]
    download = on_b.get(newest)
    assert download.status_code == 200, download.text[:1000]
    assert hashlib.sha256(download.content).hexdigest() == hashlib.sha256(content).hexdigest()
    assert "attachment" in download.headers["Content-Disposition"]
    # Node A wrote nothing to its own disk that B would need: the document is in the bucket.
    for node in nodes:
        kept = [p for p in (node.var_dir / "private").rglob("*") if p.is_file()]
        assert not kept, f"node {node.name} kept {kept}"


def test_the_documents_zip_asked_for_on_a_downloads_from_b(stack, world, nodes, officer):
    a, b = nodes
    exports = f"/office/calls/{world['call']}/exports/"
    response = officer.post(f"{exports}documents/", form_from=exports)
    assert response.status_code == 302, response.text[:2000]
    job = response.headers["Location"]
    assert re.fullmatch(r"/office/exports/\d+/", job), job

    on_b = officer.on(b)
    download = f"{job}download/"
    job_id = int(job.strip("/").rsplit("/", 1)[1])

    def finished():
        rows = stack.database.query(
            "SELECT state, error FROM intents_exportjob WHERE id = %s", [job_id]
        )
        return rows[0] if rows[0][0] in ("done", "failed") else None

    state, error = wait_until(finished, 120, f"the ZIP built\n{stack.report(20)}", every=0.5)
    assert state == "done", error
    page = on_b.get(job)
    assert page.status_code == 200 and download in page.text, page.text[:3000]
    response = on_b.get(download, stream=True)
    assert response.status_code == 200, response.text[:1000]
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None

    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    header, rows = manifest[0], manifest[1:]
    assert header[:3] == ["Reference", "File", "SHA-256"], header
    for reference, name, sha256, *_ in rows:
        assert hashlib.sha256(archive.read(name)).hexdigest() == sha256, name
        assert name.startswith(f"{reference}/"), name
    filed = sorted(sha for letter in world["letters"] for sha in letter["documents"])
    assert sorted(row[2] for row in rows) == filed
    assert {row[0] for row in rows} == {letter["reference"] for letter in world["letters"]}
    assert sorted(archive.namelist()) == sorted([row[1] for row in rows] + ["manifest.csv"])


def decision_rows(stack):
    return stack.database.query(
        'SELECT id, idempotency_key, "to", state FROM notifications_outboundemail '
        "WHERE idempotency_key LIKE 'decision:%%' ORDER BY id"
    )


def test_decisions_released_on_a_and_sent_again_from_b_arrive_exactly_once(
    stack, world, nodes, officer
):
    a, b = nodes
    sink = stack.smtp
    # The mail server refuses the first try of one recipient's decision for good (5xx), so
    # the office has a failed e-mail to send again.
    refused = world["letters"][0]["recipients"][0]
    sink.script(refused, "554 5.7.1 Refused once for the test")

    outcomes = ["selected", "waitlisted", "not_selected"]
    for number, letter in enumerate(world["letters"]):
        path = f"/office/letters/{letter['id']}/decision/"
        response = officer.post(path, {"outcome": outcomes[number % 3], "note": "Two nodes."})
        assert response.status_code == 302, response.text[:2000]
    release = f"/office/calls/{world['call']}/decisions/release/"
    # The world's call is still open: the release asks for the second confirmation too.
    response = officer.post(release, {"confirm": "on", "confirm_open": "on"})
    assert response.status_code == 302, response.text[:2000]

    def settled():
        rows = decision_rows(stack)
        return rows and all(state in ("sent", "failed") for *_, state in rows) and rows

    rows = wait_until(settled, 60, f"the decisions sent\n{stack.report(20)}", every=0.5)
    assert len(rows) >= len(world["letters"]), rows
    failed = [row for row in rows if row[3] == "failed"]
    assert [row[2] for row in failed] == [refused], rows

    # The office presses "send again" for every decision on node B, and for the failed one on
    # A and B at the same moment: the failed one goes back to the queue once, the others are
    # refused (already sent).
    on_b = officer.on(b)
    outbox = "/office/outbox/?kind=decision"
    with ThreadPoolExecutor(max_workers=2) as pool:
        both = list(
            pool.map(
                lambda browser: browser.post(
                    f"/office/outbox/{failed[0][0]}/resend/", form_from=outbox
                ),
                [officer, on_b],
            )
        )
    assert [response.status_code for response in both] == [302, 302]
    for email_id, *_ in rows:
        response = on_b.post(f"/office/outbox/{email_id}/resend/", form_from=outbox)
        assert response.status_code == 302, response.text[:2000]

    wait_until(
        lambda: all(row[3] == "sent" for row in decision_rows(stack)),
        60,
        f"the failed decision sent again\n{stack.report(20)}",
        every=0.5,
    )
    time.sleep(3)  # time for any second sending to show
    arrived = Counter(message_id(envelope) for envelope in list(sink.messages))
    for email_id, key, to, _state in decision_rows(stack):
        ours = [mid for mid in arrived if mid and mid.startswith(f"<outbox.{email_id}.")]
        assert len(ours) == 1 and arrived[ours[0]] == 1, (key, to, ours, arrived)
    assert [reply for reply, _envelope in sink.handler.refused] == [
        "554 5.7.1 Refused once for the test"
    ]
    assert all(count == 1 for count in arrived.values()), arrived


def test_a_large_zip_streams_from_b_with_its_web_worker_growing_under_50_mb(
    stack, world, nodes, officer
):
    """The archive is read from the bucket and written to the client a chunk at a time: node
    B's gunicorn workers grow by far less than the archive's size."""
    a, b = nodes
    name = "exports/big-documents.zip"
    expected = stack.s3.put_big_object(f"portal/{name}", BIG_ZIP)
    job = stack.build("world", "big_export", name, str(BIG_ZIP))["job"]
    on_b = officer.on(b)
    # Warm: each worker thread's first S3 client loads botocore's models (~10 MB, once).
    for _ in range(4):
        assert on_b.get(f"/office/exports/{job}/").status_code == 200

    workers = b.workers()
    for pid in workers:  # Linux: 5 resets the peak (VmHWM) to the current RSS
        with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    before = {pid: status_kib(pid, "VmRSS") for pid in workers}
    response = on_b.get(f"/office/exports/{job}/download/", stream=True)
    assert response.status_code == 200, response.text[:1000]
    assert response.headers["Content-Length"] == str(BIG_ZIP)
    digest, size = hashlib.sha256(), 0
    for chunk in response.iter_content(MiB):
        digest.update(chunk)
        size += len(chunk)
    peaks = {pid: status_kib(pid, "VmHWM") for pid in workers}
    growth = max((peaks[pid] - before[pid]) * 1024 for pid in workers)

    assert (size, digest.hexdigest()) == (BIG_ZIP, expected)
    print(f"\n{BIG_ZIP // MiB} MiB from node B: its worker's peak RSS +{growth / MiB:.1f} MiB")
    assert growth < 50 * MiB, f"node B's worker grew by {growth / MiB:.1f} MiB: {before} {peaks}"
