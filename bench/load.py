"""The load client: a small asyncio HTTP/1.1 client, run as a process of its own by bench/run.py.

`python bench/load.py CONFIG.json` reads what to do from the file and prints one JSON object.
Kinds of work (config["kind"]):

- closed: `users` concurrent users, each sending its request again as soon as the answer comes
  (no think time), for `seconds` after `warmup` seconds, or until `max_requests` were measured;
- rush: the deadline rush, each applicant opening, amending and submitting its letter;
- upload: users uploading one PDF each, all at once, through the letter page's form;
- hostile: a page under load (as closed) while a few users upload a hostile PDF at once,
  the page's figures split into alone / during / after the uploads;
- fetch: one timed GET (the exports), reading the body without keeping it;
- start_zip: the office asking for the documents ZIP through the exports page.

Only loopback addresses are accepted, every loop is bounded in count and time, and each
request has a time-out. One connection per request, closed after the answer (Connection: close).
"""

import asyncio
import json
import math
import os
import random
import re
import resource
import sys
import time
import uuid
from ipaddress import ip_address
from urllib.parse import urlencode, urlsplit

REQUEST_TIMEOUT = 120.0
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(rb'name="version" value="(\d+)"')
DOCUMENT_TYPE = re.compile(rb'<select name="document_type"[^>]*>\s*<option value="(\d+)"')


class Failure(Exception):
    pass


class Response:
    def __init__(self, status, headers, body, size):
        self.status, self.headers, self.body, self.size = status, headers, body, size

    def header(self, name):
        return next((v for k, v in self.headers if k == name), None)

    def cookies(self):
        found = {}
        for key, value in self.headers:
            if key == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _sep, content = pair.partition("=")
                found[name.strip()] = content.strip()
        return found


class Client:
    def __init__(self, base):
        parts = urlsplit(base)
        if not ip_address(parts.hostname).is_loopback:
            raise SystemExit("The load client only talks to loopback addresses.")
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"http://{self.host}:{self.port}"

    async def request(self, method, path, *, cookies=None, body=None, content_type=None, keep=True):
        """One request on a fresh connection. `body` is bytes or a list of bytes (sent in turn,
        so a large file is never copied); `keep=False` counts the response body and drops it."""
        return await asyncio.wait_for(
            self._request(method, path, cookies, body, content_type, keep), REQUEST_TIMEOUT
        )

    async def _request(self, method, path, cookies, body, content_type, keep):
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        try:
            pieces = [] if body is None else ([body] if isinstance(body, bytes) else body)
            lines = [
                f"{method} {path} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                "Connection: close",
                "User-Agent: portal-bench",
                "Accept: text/html,*/*",
            ]
            if cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
            if method == "POST":
                lines += [
                    f"Origin: {self.origin}",
                    f"Referer: {self.origin}{path}",
                    f"Content-Type: {content_type}",
                    f"Content-Length: {sum(len(p) for p in pieces)}",
                ]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            for piece in pieces:
                writer.write(piece)
                await writer.drain()
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = int(status_line.split()[1])
            headers = []
            for line in header_lines:
                if ":" in line:
                    key, value = line.split(":", 1)
                    headers.append((key.strip().lower(), value.strip()))
            chunks, size = [], 0
            while chunk := await reader.read(2**18):
                size += len(chunk)
                if keep:
                    chunks.append(chunk)
            body = b"".join(chunks)
            if keep and ("transfer-encoding", "chunked") in headers:
                body = _dechunk(body)
            return Response(status, headers, body, size)
        finally:
            writer.close()


def _dechunk(data):
    out, position = [], 0
    while True:
        end = data.index(b"\r\n", position)
        length = int(data[position:end].split(b";")[0], 16)
        if length == 0:
            return b"".join(out)
        out.append(data[end + 2 : end + 2 + length])
        position = end + 2 + length + 2


def percentile(sorted_values, fraction):
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(latencies, errors, seconds):
    values = sorted(latencies)
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    return {
        "requests": len(values),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(seconds, 2),
        "throughput": round(len(values) / seconds, 2) if seconds > 0 else None,
        "mean_ms": ms(sum(values) / len(values)) if values else None,
        "p50_ms": ms(percentile(values, 0.50)),
        "p95_ms": ms(percentile(values, 0.95)),
        "p99_ms": ms(percentile(values, 0.99)),
        "max_ms": ms(values[-1]) if values else None,
    }


async def timed(client, method, path, **kwargs):
    started = time.perf_counter()
    response = await client.request(method, path, **kwargs)
    return response, time.perf_counter() - started


async def page(client, path, cookies, what, keep=True):
    """GET a page that must answer 200: (response, seconds)."""
    response, seconds = await timed(client, "GET", path, cookies=cookies, keep=keep)
    if response.status != 200:
        raise Failure(f"{what}: HTTP {response.status}")
    return response, seconds


async def post_form(client, path, cookies, form):
    """POST a form as a browser does: (response, seconds)."""
    return await timed(
        client,
        "POST",
        path,
        cookies=cookies,
        body=urlencode(form).encode(),
        content_type="application/x-www-form-urlencoded",
    )


# --- closed loop ---------------------------------------------------------------------------


async def timed_get(client, target, expect):
    """One GET of a target page: (began, ended, failure or None)."""
    began = time.perf_counter()
    try:
        response = await client.request(
            "GET", target["path"], cookies=target.get("cookies"), keep=False
        )
        failure = None if response.status == expect else f"HTTP {response.status}"
    except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
        failure = f"{type(error).__name__}: {error}"
    return began, time.perf_counter(), failure


async def closed(config):
    """Each user repeats its GET; answers other than `expect` count as errors."""
    client = Client(config["base"])
    users, expect = config["users"], config.get("expect", 200)
    warmup, seconds = config.get("warmup", 1.0), config["seconds"]
    max_requests = config.get("max_requests", 100_000)
    targets = config["targets"]  # one {"path", "cookies"} per user, reused in turn
    latencies, errors = [], []
    start = time.perf_counter()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    last_end = measure_from

    async def user(number):
        nonlocal last_end
        target = targets[number % len(targets)]
        while time.perf_counter() < stop_at and len(latencies) + len(errors) < max_requests:
            began, ended, failure = await timed_get(client, target, expect)
            if began < measure_from:
                continue
            last_end = max(last_end, ended)
            if failure:
                errors.append(f"{target['path']}: {failure}")
            else:
                latencies.append(ended - began)

    await asyncio.gather(*(user(n) for n in range(users)))
    return summary(latencies, errors, last_end - measure_from)


# --- the deadline rush -----------------------------------------------------------------------


def letter_fields(applicant, number):
    """What an applicant types on the edit page: every field of the draft form, one changed."""
    return {
        "mode": str(applicant["mode"]),
        "title": f"Draft instrument {number}, final",
        "summary": f"Amended in the last minutes before the deadline ({uuid.uuid4().hex[:8]}).",
        "objectives": "Map the volatiles within 500 m of the lander over one lunar day.",
        "contribution": "The instrument, its ground segment and two years of operations.",
        "mass_kg": "12.5",
        "power_w": "30",
        "data_volume_gb": "120",
        "trl": "6",
        "funding_status": "secured",
        "timeline": "Flight model delivered 18 months before launch.",
        "partner_organisations": "",
        "contact_name": f"Contact {number}",
        "contact_email": f"contact{number}@example.org",
    }


def form_token(response):
    match = CSRF_INPUT.search(response.body)
    if not match:
        raise Failure(f"no CSRF token in a {response.status} answer")
    return match.group(1).decode()


def form_version(response):
    match = VERSION_INPUT.search(response.body)
    if not match:
        raise Failure("no version field on the page")
    return match.group(1).decode()


def expect_redirect(response, ending, step):
    location = response.header("location") or ""
    if response.status != 302 or not urlsplit(location).path.endswith(ending):
        raise Failure(f"{step}: HTTP {response.status} to {location!r}")
    return urlsplit(location).path


async def rush(config):
    """Applicants arrive over `window` seconds, more and more of them towards the end (the
    density of arrivals grows linearly: the last minutes before a deadline); each opens its
    letter's edit page, saves an amendment, is sent to its letter, opens the submit page,
    submits, and is sent to its receipt, without pausing in between."""
    client = Client(config["base"])
    rng = random.Random(config.get("seed", 1))
    window = config["window"]
    applicants = config["applicants"]
    starts = sorted(window * math.sqrt(rng.random()) for _ in applicants)
    steps = {name: [] for name in ("edit", "save", "detail", "submit_page", "submit", "receipt")}
    errors, finished = [], []
    origin = time.perf_counter()

    async def applicant(number, spec, delay):
        await asyncio.sleep(delay)
        cookies = {"sessionid": spec["session"]}
        pk = spec["letter"]
        try:
            response, seconds = await page(client, f"/letters/{pk}/edit/", cookies, "edit page")
            steps["edit"].append(seconds)
            cookies.update(response.cookies())
            form = {
                "csrfmiddlewaretoken": form_token(response),
                "version": form_version(response),
                **letter_fields(spec, number),
            }
            response, seconds = await post_form(client, f"/letters/{pk}/edit/", cookies, form)
            detail = expect_redirect(response, f"/letters/{pk}/", "save")
            steps["save"].append(seconds)
            _response, seconds = await page(client, detail, cookies, "letter page", keep=False)
            steps["detail"].append(seconds)
            response, seconds = await page(client, f"/letters/{pk}/submit/", cookies, "submit page")
            steps["submit_page"].append(seconds)
            form = {"csrfmiddlewaretoken": form_token(response), "version": form_version(response)}
            response, seconds = await post_form(client, f"/letters/{pk}/submit/", cookies, form)
            receipt = expect_redirect(response, f"/letters/{pk}/versions/1/receipt/", "submit")
            steps["submit"].append(seconds)
            _response, seconds = await page(client, receipt, cookies, "receipt", keep=False)
            steps["receipt"].append(seconds)
            finished.append(time.perf_counter() - origin)
        except (TimeoutError, Failure, OSError, asyncio.IncompleteReadError) as error:
            errors.append(f"letter {pk}: {type(error).__name__}: {error}")

    await asyncio.gather(
        *(
            applicant(n, spec, delay)
            for n, (spec, delay) in enumerate(zip(applicants, starts, strict=True))
        )
    )
    elapsed = max(finished, default=0.0)
    all_requests = [s for values in steps.values() for s in values]
    return {
        "applicants": len(applicants),
        "completed": len(finished),
        "window_seconds": window,
        "last_receipt_at_seconds": round(elapsed, 2),
        "errors": len(errors),
        "error_samples": errors[:5],
        "submit": summary(steps["submit"], errors, elapsed),
        "all_requests": summary(all_requests, errors, elapsed),
        "steps": {name: summary(values, [], elapsed) for name, values in steps.items()},
    }


# --- uploads ------------------------------------------------------------------------------------


def multipart(fields, file_field, file_name, file_bytes):
    boundary = f"----portal-bench-{uuid.uuid4().hex}"
    head = b"".join(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return [head, file_bytes, tail], f"multipart/form-data; boundary={boundary}"


async def prepare_upload(client, spec, data, name="technical-annex.pdf"):
    """Open the applicant's letter and build its upload form: (spec, cookies, body, type)."""
    cookies = {"sessionid": spec["session"]}
    response = await client.request("GET", f"/letters/{spec['letter']}/", cookies=cookies)
    cookies.update(response.cookies())
    kind = DOCUMENT_TYPE.search(response.body)
    if response.status != 200 or not kind:
        raise SystemExit(f"letter page: HTTP {response.status}, no upload form")
    fields = {
        "csrfmiddlewaretoken": form_token(response),
        "document_type": kind.group(1).decode(),
    }
    body, content_type = multipart(fields, "file", name, data)
    return spec, cookies, body, content_type


async def upload(config):
    """Each user opens its letter, then all post their file at the same moment."""
    client = Client(config["base"])
    with open(config["file"], "rb") as handle:
        data = handle.read()
    prepared = [await prepare_upload(client, spec, data) for spec in config["users"]]
    latencies, errors = [], []
    origin = time.perf_counter()

    async def send(spec, cookies, body, content_type):
        pk = spec["letter"]
        try:
            response, seconds = await timed(
                client,
                "POST",
                f"/letters/{pk}/documents/",
                cookies=cookies,
                body=body,
                content_type=content_type,
            )
            expect_redirect(response, f"/letters/{pk}/", "upload")
            latencies.append(seconds)
        except (TimeoutError, Failure, OSError, asyncio.IncompleteReadError) as error:
            errors.append(f"letter {pk}: {type(error).__name__}: {error}")

    await asyncio.gather(*(send(*item) for item in prepared))
    result = summary(latencies, errors, time.perf_counter() - origin)
    result["file_bytes"] = len(data)
    return result


# --- hostile uploads beside a page ---------------------------------------------------------------


async def hostile(config):
    """A page under load while hostile files are uploaded: `users` repeat their GET of the
    targets (as `closed`, no think time); `alone` seconds after `warmup` every uploader posts
    `file` at the same moment; the loop goes on until all are answered and `after` seconds more.
    Each page request is put in the phase it overlaps: alone (answered before the uploads were
    sent), during (in flight at any moment between the sending and the last answer) or after
    (sent after the last answer). Each upload's redirect is followed with the cookies it set,
    and the letter page is searched for `message`."""
    client = Client(config["base"])
    with open(config["file"], "rb") as handle:
        data = handle.read()
    # The upload forms are fetched before the measure starts.
    prepared = [await prepare_upload(client, spec, data) for spec in config["uploaders"]]
    users, expect, targets = config["users"], config.get("expect", 200), config["targets"]
    message = config["message"].encode()
    samples, uploads = [], []  # (began, ended, failure or None); one dict per upload
    start = time.perf_counter()
    measure_from = start + config["warmup"]
    send_at = measure_from + config["alone"]
    hard_stop = send_at + REQUEST_TIMEOUT + config["after"] + 10
    clock = {"sent": None, "answered": None, "stop": hard_stop}

    async def user(number):
        target = targets[number % len(targets)]
        while time.perf_counter() < clock["stop"]:
            began, ended, failure = await timed_get(client, target, expect)
            if began >= measure_from:
                samples.append((began, ended, failure))

    async def send(spec, cookies, body, content_type):
        pk = spec["letter"]
        entry = {"letter": pk}
        began = time.perf_counter()
        try:
            response = await client.request(
                "POST",
                f"/letters/{pk}/documents/",
                cookies=cookies,
                body=body,
                content_type=content_type,
            )
            entry["seconds"] = round(time.perf_counter() - began, 3)
            location = response.header("location") or ""
            entry.update(status=response.status, location=urlsplit(location).path)
            if response.status == 302:
                cookies = {**cookies, **response.cookies()}
                shown = await client.request("GET", entry["location"], cookies=cookies)
                entry["message_shown"] = shown.status == 200 and message in shown.body
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            entry["seconds"] = round(time.perf_counter() - began, 3)
            entry["error"] = f"{type(error).__name__}: {error}"
        uploads.append(entry)

    async def uploaders():
        await asyncio.sleep(max(0.0, send_at - time.perf_counter()))
        clock["sent"] = time.perf_counter()
        await asyncio.gather(*(send(*item) for item in prepared))
        clock["answered"] = clock["sent"] + max(u["seconds"] for u in uploads)
        clock["stop"] = min(hard_stop, time.perf_counter() + config["after"])

    await asyncio.gather(uploaders(), *(user(n) for n in range(users)))
    sent, answered = clock["sent"], clock["answered"]
    phases = {
        "alone": [s for s in samples if s[1] <= sent],
        "during": [s for s in samples if s[1] > sent and s[0] < answered],
        "after": [s for s in samples if s[0] >= answered],
    }
    spans = {
        "alone": sent - measure_from,
        "during": answered - sent,
        "after": max((s[1] for s in phases["after"]), default=answered) - answered,
    }
    result = {}
    for name, chosen in phases.items():
        latencies = [ended - began for began, ended, failure in chosen if failure is None]
        errors = [f"{failure}" for _began, _ended, failure in chosen if failure is not None]
        result[name] = summary(latencies, errors, spans[name])
    # The slowest page request begun in each second from the sending: how long the stall was.
    timeline = {}
    for began, ended, _failure in samples:
        second = math.floor(began - sent)
        timeline[second] = max(timeline.get(second, 0.0), ended - began)
    result["timeline_max_ms"] = {
        str(k): round(v * 1000, 1) for k, v in sorted(timeline.items()) if k >= -3
    }
    result["uploads"] = sorted(uploads, key=lambda u: u["letter"])
    result["file_bytes"] = len(data)
    return result


# --- exports ------------------------------------------------------------------------------------


async def fetch(config):
    client = Client(config["base"])
    response, seconds = await timed(
        client, "GET", config["path"], cookies=config.get("cookies"), keep=False
    )
    return {
        "status": response.status,
        "bytes": response.size,
        "seconds": round(seconds, 3),
        "content_type": response.header("content-type"),
    }


async def start_zip(config):
    client = Client(config["base"])
    cookies = dict(config["cookies"])
    slug = config["slug"]
    response = await client.request("GET", f"/office/calls/{slug}/exports/", cookies=cookies)
    cookies.update(response.cookies())
    form = {"csrfmiddlewaretoken": form_token(response)}
    response, seconds = await post_form(
        client, f"/office/calls/{slug}/exports/documents/", cookies, form
    )
    location = expect_redirect(response, "/", "export request")
    return {"job_path": location, "request_seconds": round(seconds, 3)}


KINDS = {
    "closed": closed,
    "rush": rush,
    "upload": upload,
    "hostile": hostile,
    "fetch": fetch,
    "start_zip": start_zip,
}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    with open(sys.argv[1]) as handle:
        config = json.load(handle)
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = asyncio.run(KINDS[config["kind"]](config))
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    # How much of a core the client itself used: on two cores it competes with the server.
    result["client_cpu_share"] = round(cpu / wall, 2) if wall else None
    result["client_pid"] = os.getpid()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
