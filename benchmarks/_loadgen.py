"""A lean HTTP/1.1 load generator, run as its own process by serve_load.py (never imported).

Why not httpx: its pool costs about as much CPU per request as the server's cached answer, so on
2 cores an httpx client measures itself. Here each client holds one keep-alive connection over raw
asyncio streams (uvloop when installed), writes a GET and reads the answer by Content-Length (or
chunked). A warm-up period is sent first and not recorded. Prints one JSON object: requests, errors,
seconds, req/s, p50/p95/p99 ms, statuses, and the CPU seconds the client itself used, after a line
"recording" when recording starts and "done" when it ends (the driver samples the server's CPU then).

Usage: python _loadgen.py HOST PORT CLIENTS SECONDS WARMUP CAP PATHS_JSON_FILE
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep the connection) after reading one whole response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    elif status not in (204, 304):
        await reader.read()  # body runs to the end of the connection
        return status, False
    return status, fields.get("connection", "").lower() != "close"


class Load:
    def __init__(self, host: str, port: int, paths: list[str], cap: int) -> None:
        self.host, self.port, self.cap = host, port, cap
        self.requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: identity\r\n\r\n".encode()
                         for p in paths]
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.sent = 0
        self.next = 0  # one sequence over all clients: with CAP = len(paths) each path is asked once
        self.recording = False

    async def client(self, deadline: float) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            while time.monotonic() < deadline and (not self.recording or self.sent < self.cap):
                request = self.requests[self.next % len(self.requests)]
                self.next += 1
                began = time.perf_counter()
                try:
                    writer.write(request)
                    status, keep = await read_answer(reader)
                    label = str(status)
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                    label, keep = type(exc).__name__, False
                elapsed = (time.perf_counter() - began) * 1000
                if self.recording:
                    self.sent += 1
                    self.statuses[label] = self.statuses.get(label, 0) + 1
                    if label == "200":
                        self.latencies.append(elapsed)
                if not keep:
                    writer.close()
                    reader, writer = await asyncio.open_connection(self.host, self.port)
        finally:
            writer.close()

    async def run(self, clients: int, seconds: float, warmup: float) -> dict[str, object]:
        start = time.monotonic()
        deadline = start + warmup + seconds
        tasks = [asyncio.create_task(self.client(deadline)) for _ in range(clients)]
        await asyncio.sleep(warmup)
        self.recording = True
        print("recording", flush=True)  # the driver samples the server's CPU at these two lines
        began, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
        await asyncio.gather(*tasks)
        took, used = time.monotonic() - began, resource.getrusage(resource.RUSAGE_SELF)
        print("done", flush=True)
        ordered = sorted(self.latencies)
        return {"requests": self.sent, "errors": self.sent - len(ordered), "seconds": took,
                "rps": self.sent / took if took else 0.0, "p50": percentile(ordered, 50),
                "p95": percentile(ordered, 95), "p99": percentile(ordered, 99), "statuses": self.statuses,
                "client_cpu_s": (used.ru_utime + used.ru_stime) - (cpu.ru_utime + cpu.ru_stime)}


def main(argv: list[str]) -> None:
    host, port, clients, seconds, warmup, cap, paths_file = argv
    try:
        from uvloop import new_event_loop as loop_factory
    except ImportError:
        loop_factory = asyncio.new_event_loop
    load = Load(host, int(port), json.loads(Path(paths_file).read_text(encoding="utf-8")), int(cap))
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        print(json.dumps(runner.run(load.run(int(clients), float(seconds), float(warmup)))))


if __name__ == "__main__":
    main(sys.argv[1:])
