"""An in-process TCP proxy between a client and PostgreSQL that cuts the connection at a
chosen moment of the conversation (fault injection for the offline sync, issue 19).

A moment is named by what the client sends: the n-th write of the client that contains a
byte pattern (b"COMMIT", a table's name, or b"" for any write), counted over every
connection since the cut was armed. There the proxy either drops that write and closes both
sides (the server never gets it: a cut before send), or passes it on and lets only the
first `reply_bytes` bytes of the server's answer through before it closes both sides (the
server has done the work, committed a COMMIT, and the client never hears it completely: a
lost answer, or with a larger number a cut in the middle of a result being read). A hook
runs at the moment of the cut, before the sockets close (e.g. kill -9 of the client).

Threads, not asyncio: the code under test is synchronous and runs in the test's thread;
each connection has two pumps, one per direction. The client's writes and the server's
answers are causally ordered (libpq writes a statement and waits for its answer), so a
pattern seen in the client's write is armed before its answer arrives.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

_BUFFER = 65536
# The COMMIT that ends a transaction, as libpq sends it: a simple query message (type Q,
# length 11, the text with its NUL). A bare b"COMMIT" would also find READ COMMITTED.
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


@dataclass(frozen=True)
class Cut:
    pattern: bytes  # b"": every write of the client counts
    nth: int = 1  # which matching write (1: the first since the cut was armed)
    # None: drop the write; a number: pass it on, then cut the answer after that many bytes
    reply_bytes: int | None = None
    hook: Callable[[], None] | None = field(default=None, compare=False)

    def describe(self) -> str:
        if self.reply_bytes is None:
            return f"cut before client write #{self.nth} with {self.pattern!r}"
        return f"cut {self.reply_bytes} bytes after client write #{self.nth} with {self.pattern!r}"


class _Link:
    """One client connection and its upstream connection."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.tail = b""  # the client's last bytes: a pattern split across two writes is found
        self.reply_budget: int | None = None  # set once this link's cut is armed on an answer
        self.closed = False

    def close(self) -> None:
        with self.proxy.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):  # the other side may have gone first
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def upstream(self) -> None:
        try:
            while True:
                data = self.client.recv(_BUFFER)
                if not data:
                    break
                if self.proxy.on_client_write(self, data):
                    self.server.sendall(data)
                elif self.closed:
                    return
        except OSError:
            pass
        self.close()

    def downstream(self) -> None:
        try:
            while True:
                data = self.server.recv(_BUFFER)
                if not data:
                    break
                passed = self.proxy.on_server_answer(self, data)
                if passed:
                    self.client.sendall(passed)
                if self.closed:
                    return
        except OSError:
            pass
        self.close()


class FaultProxy:
    """Listens on 127.0.0.1 (an ephemeral port) and forwards to `target`; `arm` a Cut."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.links: list[_Link] = []
        self.cut: Cut | None = None
        self.seen = 0  # matching client writes since the cut was armed
        self.fired = threading.Event()
        self.connected = threading.Event()  # a client connected since the cut was armed
        self.cuts = 0  # cuts made over the proxy's life
        self._stopped = False
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    # --- control ---------------------------------------------------------------------------

    def arm(self, cut: Cut | None) -> None:
        """The next cut (None: pass everything)."""
        with self.lock:
            self.cut = cut
            self.seen = 0
            self.fired.clear()
            self.connected.clear()
            for link in self.links:
                link.reply_budget = None
                link.tail = b""

    def close(self) -> None:
        self._stopped = True
        self.listener.close()
        for link in list(self.links):
            link.close()

    # --- the pumps' decisions --------------------------------------------------------------

    def on_client_write(self, link: _Link, data: bytes) -> bool:
        """Whether to pass the write on; a drop closes the link."""
        hook: Callable[[], None] | None = None
        with self.lock:
            cut = self.cut
            if cut is None or self.fired.is_set() or link.closed:
                return not link.closed
            window = link.tail + data
            keep = max(len(cut.pattern) - 1, 0)
            link.tail = window[-keep:] if keep else b""
            if cut.pattern not in window:
                return True
            self.seen += 1
            if self.seen < cut.nth:
                return True
            self._fire()
            if cut.reply_bytes is not None:
                link.reply_budget = cut.reply_bytes
                return True
            hook = cut.hook
        if hook is not None:
            hook()
        link.close()
        return False

    def on_server_answer(self, link: _Link, data: bytes) -> bytes:
        """What of the answer to pass on; once the budget is spent, the link is closed."""
        with self.lock:
            budget = link.reply_budget
            if budget is None:
                return data
            if len(data) <= budget:
                link.reply_budget = budget - len(data)
                return data
            hook = self.cut.hook if self.cut is not None else None
        passed = data[:budget]
        if passed:
            with contextlib.suppress(OSError):
                link.client.sendall(passed)
        if hook is not None:
            hook()
        link.close()
        return b""

    def _fire(self) -> None:
        self.fired.set()
        self.cuts += 1

    # --- plumbing --------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(self, client, server)
            with self.lock:
                self.links = [x for x in self.links if not x.closed] + [link]
            self.connected.set()
            threading.Thread(target=link.upstream, name="proxy-up", daemon=True).start()
            threading.Thread(target=link.downstream, name="proxy-down", daemon=True).start()
