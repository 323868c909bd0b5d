"""Serve an app under gunicorn on loopback, sign people in, and drive pages with wrk."""

from __future__ import annotations

import http.cookiejar
import json
import math
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

WORKERS = 2
CONNECTIONS = 16
THREADS = 2
BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", BENCH_DIR.parent / ".venv")) / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return  # it answers, even if / is a 404
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base}")


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str]):
    """Serve ``app_spec`` with 2 sync workers on a free loopback port; yield its base URL."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        app_spec,
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=BENCH_DIR.parent)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


# Every request says it comes from one browser, as a person's requests do. Flask-Login checks
# that a session's browser did not change (session protection "basic"); wrk sends no
# User-Agent, so each of its requests looked like a new browser to a session opened by urllib:
# the app marked the session not fresh and re-signed its cookie on every page.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) teamhub-bench"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header the browser would send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    try:
        opener.open(base + "/login", data=form.encode(), timeout=30)
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise RuntimeError(f"login of {email} answered {answer.code}") from answer
        # The page a browser lands on next gives the session its form token; a browser keeps
        # the cookie it then gets. Without it, each page made and signed a new one.
        _open_following(opener, urllib.parse.urljoin(base, answer.headers["Location"]))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _open_following(opener, url: str, hops: int = 3) -> None:
    for _ in range(hops):
        try:
            opener.open(url, timeout=30).read()
            return
        except urllib.error.HTTPError as answer:
            if answer.code not in (301, 302, 303):
                raise
            url = urllib.parse.urljoin(url, answer.headers["Location"])


@dataclass(frozen=True)
class Target:
    path: str
    cookie: str = ""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    # wrk's latency histogram: (microseconds, how many requests took that long), ascending.
    latencies: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile_ms(latencies: list[tuple[int, int]], percent: float) -> float:
    """The latency below which ``percent`` of requests fall, ranked as wrk ranks them."""
    total = sum(count for _us, count in latencies)
    rank = math.floor(percent / 100 * total + 0.5 + 0.5)  # wrk: C's round(p * n + 0.5)
    seen = 0
    for us, count in sorted(latencies):
        seen += count
        if seen >= rank:
            return us / 1000
    return 0.0


def combined(slices: list[LoadResult]) -> LoadResult:
    """Several slices of one load as one: requests, time and latency histograms add up."""
    merged: Counter[int] = Counter()
    for piece in slices:
        merged.update(dict(piece.latencies))
    latencies = tuple(sorted(merged.items()))
    return LoadResult(
        requests=sum(s.requests for s in slices),
        seconds=sum(s.seconds for s in slices),
        p50_ms=percentile_ms(list(latencies), 50),
        p99_ms=percentile_ms(list(latencies), 99),
        non_2xx=sum(s.non_2xx for s in slices),
        socket_errors=sum(s.socket_errors for s in slices),
        latencies=latencies,
    )


@dataclass(frozen=True)
class SideBySide:
    """A page and the reference, driven in alternating slices."""

    page: LoadResult
    reference: LoadResult

    @property
    def ratio(self) -> float:
        return self.page.rps / self.reference.rps if self.reference.rps else 0.0


SLICES = 4


def side_by_side(
    app_base: str, targets: list[Target], ref_base: str, reference: list[Target], seconds: int
) -> SideBySide:
    """Drive the reference and a page in turn, ``SLICES`` times each, ``seconds`` in all per
    side. This machine's speed drifts by a third over tens of seconds (other machines share
    its host): a reference measured once, before the pages, made a page's ratio depend on
    when it ran. Slices taken in turn see the same machine."""
    each = max(1, round(seconds / SLICES))
    pages, references = [], []
    for _ in range(SLICES):
        references.append(drive(ref_base, reference, each))
        pages.append(drive(app_base, targets, each))
    return SideBySide(page=combined(pages), reference=combined(references))


LUA = """
local targets = %s
local n = 0
request = function()
  n = n + 1
  local t = targets[(n %% #targets) + 1]
  local headers = {["User-Agent"] = "%s"}
  if t[2] ~= "" then headers["Cookie"] = t[2] end
  return wrk.format("GET", t[1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"non_2xx": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
  local parts = {}
  for i = 1, #latency do
    local us, count = latency(i)
    parts[#parts + 1] = us .. ":" .. count
  end
  io.write("LATENCIES " .. table.concat(parts, ",") .. "\\n")
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_targets(targets: list[Target]) -> str:
    items = ", ".join(f"{{{_lua_string(t.path)}, {_lua_string(t.cookie)}}}" for t in targets)
    return "{" + items + "}"


def drive(base: str, targets: list[Target], seconds: int) -> LoadResult:
    """Drive the targets in turn at 16 connections for ``seconds``; return wrk's figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (_lua_targets(targets), USER_AGENT))
    try:
        out = subprocess.run(
            ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
             "-s", script.name, base],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    lines = out.splitlines()
    data = json.loads(next(line for line in lines if line.startswith("BENCH "))[6:])
    histogram = next(line for line in lines if line.startswith("LATENCIES "))[10:]
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non_2xx=data["non_2xx"],
        socket_errors=data["socket_errors"],
        latencies=tuple(
            (int(us), int(count)) for us, count in (p.split(":") for p in histogram.split(",") if p)
        ),
    )


def fetch(base: str, target: Target) -> int:
    """One request, to check a target answers 200 before it is driven."""
    headers = {"Cookie": target.cookie, "User-Agent": USER_AGENT}
    request = urllib.request.Request(base + target.path, headers=headers)  # noqa: S310
    try:
        return urllib.request.build_opener(_NoRedirect()).open(request, timeout=30).status
    except urllib.error.HTTPError as answer:
        return answer.code
