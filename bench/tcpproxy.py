"""A TCP proxy between the application and PostgreSQL that can be cut and restored, in a thread
of its own: the fault run's stand-in for a database restart that touches nobody else's server.

``cut()`` closes every open connection at once and refuses new ones (the listening socket is
closed: a connect gets "connection refused", as from a restarting server); ``restore()`` listens
again on the same port.
"""

import asyncio
import contextlib
import threading
from concurrent.futures import Future


class TcpProxy:
    def __init__(self, *, listen_port: int, target_host: str, target_port: int) -> None:
        self.listen_port = listen_port
        self.target = (target_host, target_port)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="tcpproxy", daemon=True)
        self.server: asyncio.base_events.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    def _call(self, coroutine: object) -> object:
        future: Future[object] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return future.result(timeout=10)

    def start(self) -> None:
        self.thread.start()
        self.restore()

    def restore(self) -> None:
        self._call(self._listen())

    def cut(self) -> int:
        """Close the listener and every connection; how many connections were cut."""
        return int(self._call(self._cut()))  # type: ignore[call-overload]

    def stop(self) -> None:
        self._call(self._cut())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    async def _listen(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(
                self._serve, "127.0.0.1", self.listen_port, reuse_address=True
            )

    async def _cut(self) -> int:
        if self.server is not None:
            self.server.close()
            self.server = None
        open_ = list(self.writers)
        for writer in open_:
            # An abort, not a close: the peer sees the connection reset at once.
            writer.transport.abort()
        self.writers.clear()
        return len(open_) // 2

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        self.connections += 1
        self.writers.update((client_w, server_w))
        await asyncio.gather(
            self._pipe(client_r, server_w), self._pipe(server_r, client_w), return_exceptions=True
        )
        self.writers.difference_update((client_w, server_w))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
