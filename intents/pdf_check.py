"""The PDF structure check, run in a short-lived child process under OS limits.

    python -I intents/pdf_check.py PATH MEMORY_MB CPU_SECONDS MAX_OBJECTS DEADLINE_SECONDS

intents.uploads starts this file as a fresh interpreter (never a fork of the threaded web
worker) for every upload. It limits its own address space (RLIMIT_AS: what the interpreter
maps plus MEMORY_MB) and CPU time (RLIMIT_CPU) and lowers its CPU priority before it reads
a byte of the file, parses the file with pypdf and prints one line of JSON on stdout:

    {"pages": 3, ...}                                   the file passed
    {"refused": "encrypted" | "damaged" | "no-pages" | "too-complex", ...}
    {"refused": "active", "names": ["/JS", ...], ...}   active content, by its PDF names
    {"refused": "opens-web-address", ...}               a /URI action that fires by itself

plus "baseline_kb" and "peak_kb" (resident memory after start-up and at the end) and
"niceness" (the priority it ran at). The parent
also kills it after a wall-clock timeout: pypdf can spend unbounded time inside one object
lookup (a chain of object streams whose /Filter each lives in the next one), where no deadline
tested between objects can fire. Only the standard library and pypdf are imported here, no
Django, so the child starts in a fraction of a second; the messages the user reads are written
by the parent, in the user's language.
"""

import json
import logging
import os
import resource
import sys
import time

# PDF names that introduce active content or reach outside the document, as dictionary keys
# (/JS, /EF, ...) or as the value of /S, /Type or /Subtype. intents.uploads names each of them
# for the user; the order is the order of precedence when a file has several.
ACTIVE = (
    "/JS",
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/GoToE",
    "/EF",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/FileAttachment",
    "/RichMedia",
    "/XFA",
    # Actions that reach outside the file wherever they are: a form sent to a server, a link
    # that opens another file (possibly by URL), media that play external files.
    "/SubmitForm",
    "/GoToR",
    "/Rendition",
    "/Sound",
    "/Movie",
)
# A web link (/S /URI) is refused only where it fires by itself: as the document's
# /OpenAction or in any additional-actions dictionary (/AA of the document, a page, an
# annotation or a form field: page open, page visible, mouse enter, ...), including the /Next
# chain of those. A link annotation's own /A /URI is a clickable reference in the text, common
# in letters (a website, a DOI) and harmless until the reader chooses to click it: accepted.
AUTOMATIC_KEYS = ("/OpenAction", "/AA")


# Nice 10 weighs about a tenth of a web worker in Linux's scheduler: an ordinary file, checked
# in well under a second of CPU, is still answered in time on a busy node.
NICENESS = 10


class TooComplex(Exception):
    pass


def set_limits(memory_mb, cpu_seconds):
    """The address space may grow by `memory_mb` beyond what the interpreter with pypdf
    already maps (about 45 MB), whatever that is on this system: resident memory, which the
    address space bounds, can then grow by little more than `memory_mb`."""
    memory = (_status_kb("self", b"VmSize:") or 64 * 1024) * 1024 + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The soft limit sends SIGXCPU (which kills), the hard one SIGKILL a second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The check yields the CPU to the web workers: a hostile file may use its whole time limit,
    # and two at once on a 2-core node would otherwise take both cores from every page.
    os.nice(NICENESS)


def peak_kb(pid="self"):
    """Peak resident memory of this process image, in KiB. Linux's VmHWM starts afresh at
    exec; ru_maxrss would carry the web worker's own peak over from the fork."""
    peak = _status_kb(pid, b"VmHWM:")
    if peak is None and pid == "self":
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak


def _status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def check(path, max_objects, deadline_seconds):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    deadline = time.monotonic() + deadline_seconds
    try:
        with PdfReader(path, strict=False) as reader:
            if reader.is_encrypted:
                return {"refused": "encrypted"}
            found, opens_web = _walk(reader, max_objects, deadline)
            if found:
                names = sorted(found, key=ACTIVE.index)
                return {"refused": "active", "names": names}
            if opens_web:
                return {"refused": "opens-web-address"}
            pages = len(reader.pages)
    except TooComplex:
        return {"refused": "too-complex"}
    except MemoryError:
        return {"refused": "too-complex"}
    # PyPdfError covers pypdf's parse errors and its resource limits (LimitReachedError);
    # the others are what a hostile file can provoke inside pypdf.
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
        IndexError,
        AssertionError,
        OSError,
        UnicodeError,
    ):
        return {"refused": "damaged"}
    if pages < 1:
        return {"refused": "no-pages"}
    return {"pages": pages}


def _walk(reader, max_objects, deadline):
    """Walk every object reachable from the trailer; return the active names it uses and
    whether a web address is opened by itself.

    The parser decodes escaped names (/J#53 is /JS) and unpacks compressed object streams,
    which a byte search cannot see into. Stream data itself is not inflated.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    active = set(ACTIVE)
    found = set()
    opens_web = False
    seen = set()

    def resolve(item):
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                return None
            seen.add((item.idnum, item.generation))
            if len(seen) > max_objects or time.monotonic() > deadline:
                raise TooComplex
            reference = (item.generation, item.idnum)
            item = item.get_object()
            if isinstance(item, StreamObject):
                # pypdf reads a stream's data with its dictionary and caches both. Only the
                # dictionary is looked at: drop the stream from the cache, so a scan's page
                # images are held one at a time, not all at once.
                reader.resolved_objects.pop(reference, None)
        return item

    pending = [reader.trailer]
    while pending:
        item = resolve(pending.pop())
        if isinstance(item, DictionaryObject):
            # item[key] resolves an indirect value, so "/S 7 0 R" is seen too.
            values = [item[key] for key in ("/S", "/Type", "/Subtype") if key in item]
            for name in [*item.keys(), *values]:
                if isinstance(name, str) and name in active:
                    found.add(name)
            if not opens_web and any(key in item for key in AUTOMATIC_KEYS):
                opens_web = _opens_web_address(item, max_objects, deadline)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return found, opens_web


def _opens_web_address(holder, max_objects, deadline):
    """Whether the dictionary's /OpenAction, or an action of its /AA, is a /URI action or
    leads to one through its /Next chain."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending = []
    if "/OpenAction" in holder:
        pending.append(holder["/OpenAction"])  # an action, or a destination (an array)
    triggers = holder.get("/AA")
    triggers = triggers.get_object() if triggers is not None else None
    if isinstance(triggers, DictionaryObject):
        pending.extend(triggers[key] for key in triggers)
    seen = set()
    while pending:
        if len(seen) > max_objects or time.monotonic() > deadline:
            raise TooComplex
        action = pending.pop()
        action = action.get_object() if action is not None else None
        if not isinstance(action, DictionaryObject) or id(action) in seen:
            continue
        seen.add(id(action))
        kind = action.get("/S")
        if kind is not None and kind.get_object() == "/URI":
            return True
        following = action.get("/Next")
        following = following.get_object() if following is not None else None
        if isinstance(following, ArrayObject):
            pending.extend(following)
        elif isinstance(following, DictionaryObject):
            pending.append(following)
    return False


def main(argv):
    path, memory_mb, cpu_seconds, max_objects, deadline_seconds = argv
    # pypdf logs a warning for every oddity of a damaged file: keep the pipe quiet.
    logging.disable(logging.CRITICAL)
    import pypdf  # noqa: F401  (imported before the limits and the baseline)

    baseline = peak_kb()
    set_limits(int(memory_mb), int(cpu_seconds))
    answer = check(path, int(max_objects), float(deadline_seconds))
    answer.update(baseline_kb=baseline, peak_kb=peak_kb(), niceness=os.nice(0))
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
