"""Do the stored documents still hold the bytes we recorded, and does every receipt still verify?

`verify()` re-hashes every stored document (streamed, a chunk at a time, several at once) against
its recorded SHA-256 and size, then checks every filed version's frozen document hashes: each
must be the hash of a document of that letter whose stored bytes were just found to match.
What it finds is plain data (`Report`, `Problem`), printed by `manage.py verify_documents`.
"""

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from portal.storage import hash_stored, is_missing, shared_private_storage, unavailable_errors

from .models import Document, LetterVersion

MISSING = "missing"
WRONG_SIZE = "wrong-size"
WRONG_HASH = "wrong-hash"
UNREADABLE = "unreadable"
RECEIPT = "receipt-unverified"


@dataclass(frozen=True)
class Problem:
    kind: str
    letter: str  # the reference, or "draft #<id>" for a letter never filed
    document_id: int | None
    stored_name: str
    detail: str
    version: int | None = None  # for a receipt: the filed version whose hash does not verify

    def as_dict(self):
        return asdict(self)

    def line(self):
        where = self.letter + (f" v{self.version}" if self.version is not None else "")
        document = f"document {self.document_id}" if self.document_id is not None else "receipt"
        name = f" [{self.stored_name}]" if self.stored_name else ""
        return f"{self.kind.upper():<19} {where}  {document}{name}: {self.detail}"


@dataclass
class Report:
    documents: int = 0
    bytes: int = 0
    versions: int = 0
    receipt_hashes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        verdict = "no drift" if self.ok else f"{len(self.problems)} problem(s)"
        return (
            f"Checked {self.documents} stored document(s) ({self.bytes} bytes) and "
            f"{self.receipt_hashes} hash(es) in {self.versions} filed version(s) "
            f"in {self.seconds:.1f} s: {verdict}."
        )

    def as_dict(self):
        return {
            "ok": self.ok,
            "documents": self.documents,
            "bytes": self.bytes,
            "versions": self.versions,
            "receipt_hashes": self.receipt_hashes,
            "seconds": round(self.seconds, 3),
            "problems": [problem.as_dict() for problem in self.problems],
        }


@dataclass(frozen=True)
class _Row:
    id: int
    letter_id: int
    letter: str
    name: str
    size: int
    sha256: str


def _label(reference, letter_id):
    return reference or f"draft #{letter_id}"


def _check(row: _Row, storage, chunk_size) -> tuple[int, Problem | None]:
    """The bytes read and the problem with this document's stored file, if any."""

    def problem(kind, detail):
        return Problem(kind, row.letter, row.id, row.name, detail)

    if not row.name:
        return 0, problem(MISSING, "no file is recorded for this document")
    try:
        size, sha256 = hash_stored(storage, row.name, chunk_size)
    except unavailable_errors() as error:
        if is_missing(error):
            return 0, problem(MISSING, f"not in the storage (recorded {row.size} bytes)")
        return 0, problem(UNREADABLE, f"the storage did not answer: {error}")
    if size != row.size:
        return size, problem(WRONG_SIZE, f"recorded {row.size} bytes, stored {size} bytes")
    if sha256 != row.sha256:
        return size, problem(WRONG_HASH, f"recorded sha256 {row.sha256}, stored bytes {sha256}")
    return size, None


def verify(
    *,
    call=None,
    workers: int = 8,
    chunk_size: int = 1024 * 1024,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Re-hash every stored document (of one call, if given) and check every filed version."""
    started = time.monotonic()
    report = Report()
    # A purged document's file was deleted on purpose: no receipt names it (documents_lifecycle).
    documents = Document.objects.stored().order_by("pk")
    versions = LetterVersion.objects.order_by("letter_id", "number")
    if call is not None:
        documents = documents.filter(letter__call=call)
        versions = versions.filter(letter__call=call)
    rows = (
        _Row(pk, letter_id, _label(reference, letter_id), name or "", size, sha256)
        for pk, letter_id, reference, name, size, sha256 in documents.values_list(
            "pk", "letter_id", "letter__reference", "file", "size", "sha256"
        ).iterator(chunk_size=2000)
    )
    # (letter, sha256) → did at least one of the letter's documents with that hash verify?
    verified: dict[tuple[int, str], bool] = defaultdict(bool)
    storage = shared_private_storage()
    for row, (size, problem) in _in_parallel(rows, storage, chunk_size, workers):
        report.documents += 1
        report.bytes += size
        verified[(row.letter_id, row.sha256)] |= problem is None
        if problem is not None:
            report.problems.append(problem)
        if progress is not None:
            progress(report.documents)

    for letter_id, reference, number, snapshot in versions.values_list(
        "letter_id", "letter__reference", "number", "snapshot"
    ).iterator(chunk_size=2000):
        report.versions += 1
        for entry in (snapshot or {}).get("documents", []):
            report.receipt_hashes += 1
            sha256 = entry.get("sha256", "")
            key = (letter_id, sha256)
            if verified.get(key):
                continue
            why = (
                "the letter's documents with these bytes failed the check above"
                if key in verified
                else "no document of the letter is recorded with these bytes"
            )
            report.problems.append(
                Problem(
                    RECEIPT,
                    _label(reference, letter_id),
                    None,
                    "",
                    f"sha256 {sha256} of {entry.get('name', '?')!r}: {why}",
                    version=number,
                )
            )
    report.seconds = time.monotonic() - started
    return report


def _in_parallel(rows: Iterable[_Row], storage, chunk_size, workers):
    """(row, check result) pairs, `workers` checks at a time, at most a bounded number queued."""
    if workers <= 1:
        for row in rows:
            yield row, _check(row, storage, chunk_size)
        return
    window = workers * 4
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify") as pool:
        pending: deque = deque()
        for row in rows:
            pending.append((row, pool.submit(_check, row, storage, chunk_size)))
            if len(pending) >= window:
                row_, future = pending.popleft()
                yield row_, future.result()
        for row_, future in pending:
            yield row_, future.result()
