"""A real SMTP server on loopback that accepts, defers (451) or rejects (550) by recipient.

For the fault tests it can also answer the end of DATA from a script (`script`: "421 …" three
times, then accept) and hold one message unanswered until the client is gone (`hold`). Only a
message answered 250 counts as arrived (`messages`), as a real server would count it: a held
message whose sender dies before the answer is `abandoned`, never delivered.
"""

import asyncio
import socket
import threading
from collections import Counter, defaultdict, deque
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self):
        self.messages = []
        # The client's address and port for each accepted message: one per SMTP session.
        self.peers = []
        # (reply, envelope) for each end of DATA answered from a script instead of with 250.
        self.refused = []
        # Held messages whose client went away before they were answered.
        self.abandoned = []
        self.scripts = defaultdict(deque)
        self.hold_for = None
        self.holding = threading.Event()
        self.gone = threading.Event()
        self._release = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("defer"):
            return "451 4.3.0 Try again later"
        if address.startswith("reject"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if self.scripts[address]:
                reply = self.scripts[address].popleft()
                self.refused.append((reply, envelope))
                return reply
        if self.hold_for is not None and self.hold_for in envelope.rcpt_tos:
            self.hold_for = None
            await self._hold(envelope)
        self.messages.append(envelope)
        self.peers.append(session.peer)
        return "250 Message accepted"

    async def _hold(self, envelope):
        """Wait, unanswered, for `release`. aiosmtpd cancels this when the client's connection
        ends, so a sender that dies here never gets its 250 and the message is not counted."""
        self._release = asyncio.Event()
        self.holding.set()
        try:
            await self._release.wait()
        except asyncio.CancelledError:
            self.abandoned.append(envelope)
            self.gone.set()
            raise


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def message_id(envelope):
    content = envelope.original_content or envelope.content
    if isinstance(content, str):
        content = content.encode()
    return BytesHeaderParser().parsebytes(content)["Message-ID"]


class SmtpSink:
    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        # A fixed name: otherwise every session looks up the machine's FQDN.
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, server_hostname="sink.localhost"
        )

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages

    def script(self, address, *replies):
        """Answer the next messages to `address` with these replies, in order, then accept."""
        self.handler.scripts[address].extend(replies)

    def hold(self, address):
        """Leave the next message to `address` unanswered after its data, until `release`."""
        self.handler.hold_for = address

    def release(self):
        """Let a held message be answered 250 (if its client is still there)."""
        release = self.handler._release
        if release is not None:
            self.controller.loop.call_soon_threadsafe(release.set)

    def arrivals(self):
        """How many times each Message-ID was accepted: a resend shows as a count of 2."""
        return Counter(message_id(envelope) for envelope in list(self.messages))
