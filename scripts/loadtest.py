"""Many DEP clients at once against one fakedep, for scripts/benchmark-fakedep.

Each client holds one keep-alive HTTP/1.1 connection and, until the time is up, makes calls drawn
at random from the mix an MDM makes: a new session (OAuth-signed, 10%), a fetch page walking its
own cursor (40%), a sync page from the cursor its server's fetch ended with (30%) and the details
of ten of the server's devices (20%). Any answer but 200, and any connection that fails, is an
error; latencies are kept for percentiles. asyncio with raw sockets keeps the client cheap, so a
thousand connections fit in one Python process.
"""
import asyncio
import json
import random
import resource
import time


class Result:
    def __init__(self):
        self.latencies = {}  # call -> [milliseconds]
        self.errors = 0
        self.samples = []

    @property
    def requests(self):
        return sum(len(values) for values in self.latencies.values())

    def record(self, call, milliseconds):
        self.latencies.setdefault(call, []).append(milliseconds)

    def fail(self, call, what):
        self.errors += 1
        if len(self.samples) < 5:
            self.samples.append(f"{call}: {what}")

    def percentile(self, p, call=None):
        values = sorted(self.latencies.get(call, []) if call else
                        [v for values in self.latencies.values() for v in values])
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(len(values) * p / 100))]

    def by_call(self):
        return ", ".join(f"{call} {len(values):,} (p99 {self.percentile(99, call):.0f} ms)"
                         for call, values in sorted(self.latencies.items()))


class Connection:
    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.writer:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, headers, body=None):
        """(status, body) of one request on the connection."""
        if self.writer is None:
            await self.open()
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: fakedep-load/1.0",
                f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        head += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return status, b"".join(part[:-2] for part in parts)


def tail_of_page(data):
    """(more to follow, cursor) from a page's last members, without parsing the page."""
    tail = data[data.rindex(b'"more_to_follow":'):]
    return tail.startswith(b'"more_to_follow":true'), tail[tail.index(b'"cursor":"') + 10:-2].decode()


async def client(port, servers, deadline, result, rng):
    connection = Connection(port)
    cursors = {}
    while time.monotonic() < deadline:
        name, session, serials, sync_cursor = rng.choice(servers)
        auth = {"X-ADM-Auth-Session": session.token, "X-Server-Protocol-Version": "10"}
        draw = rng.random()
        if draw < 0.1:
            call, request = "session", ("GET", "/session", {"Authorization": session.authorization()}, None)
        elif draw < 0.5:
            cursor = cursors.get(name)
            call, request = "fetch", ("POST", "/server/devices", auth,
                                      {"limit": 100, **({"cursor": cursor} if cursor else {})})
        elif draw < 0.8:
            call, request = "sync", ("POST", "/devices/sync", auth, {"cursor": sync_cursor, "limit": 100})
        else:
            call, request = "details", ("POST", "/devices", auth, {"devices": rng.sample(serials, 10)})
        start = time.perf_counter()
        try:
            status, data = await connection.request(*request)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
            result.fail(call, repr(error))
            connection.close()
            continue
        result.record(call, (time.perf_counter() - start) * 1000)
        if status != 200:
            result.fail(call, f"{status} {data[:200]!r}")
        elif call == "fetch":
            more, cursor = tail_of_page(data)
            cursors[name] = cursor if more else None
    connection.close()


def run(port, servers, connections, seconds, seed=1):
    """Runs `connections` clients for `seconds` over `servers` ((name, session, serials, cursor)
    each, a benchmark-fakedep Session with its server's serials and the cursor its fetch ended
    with). Returns the Result."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, connections + 256)), hard))
    result = Result()

    async def main():
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(client(port, servers, deadline, result, random.Random(seed + n))
                               for n in range(connections)))

    asyncio.run(main())
    return result
