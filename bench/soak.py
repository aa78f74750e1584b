"""Soak: `roster serve` polled by every subscriber's calendar for a bounded time; a check.

Usage (after installing the package; needs Debian's `wrk`):
    python3 bench/soak.py [--seconds 300] [--volunteers 10000] [--connections 32] [--rate R]

A synthetic city (`roster synth --units 120 --volunteers N --seed 1`) is drafted and published
for the week of 2022-06-15 in a fresh workspace (bench/feeds.py's helpers) and served on
127.0.0.1. Each feed is fetched once, as a phone subscribing does, to learn its ETag; then `wrk`
polls the personal feeds for `--seconds`, the way calendar apps refresh: `--connections` threads
of one connection each, each cycling through its share of the feeds, 9 polls in 10 with the
ETag (304, no body), 1 in 10 without (200 and the feed, half of them gzipped: a phone that lost
its cache, a new subscription). With one connection a thread, each answer is known to be to the
thread's last request, so it is checked against its own feed. Meanwhile the resident memory
(VmRSS) of the server and its children is sampled every `--sample` seconds.

The table gives the requests, the errors (any status but 200 and 304, socket errors, wrk's 2 s
timeouts, and wrong answers: another feed's ETag, a 200 where the ETag asked for a 304 or the
reverse, an empty feed), req/s, p50/p99 latency, how many distinct feeds were answered right at
least once, and the memory: at the start (every feed fetched once), after the warm-up (default
60 s, or a fifth of a shorter soak), at the end, the largest, and the least-squares slope after
the warm-up. Memory is **flat** when, after the warm-up, it grew by less than `--bound-mb`
(10 MB), both end minus after warm-up and along the fitted line. Exit 1 on any error, a feed
never answered, a server that died or stopped answering, or memory not flat; without wrk it says
so and exits 0 (skipped).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.feeds import learn_etags, published_city, start_server, wrk

PLAIN = 0.1  # the share of polls sent without the ETag

# One connection per wrk thread: a thread's answer is then always to the request it made last,
# so each answer is checked against its own feed (its ETag, 200 or 304 as asked) and counted.
LUA = """
local paths = {%(paths)s}
local etags = {%(etags)s}
local nthreads, plain, pause = %(threads)d, %(plain)s, %(pause)s
threads, made = {}, 0
function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(threads, thread)
end
mine, n, k, bare = {}, 0, 0, false
plains, ok200, ok304, bad, wrong, served, seen = 0, 0, 0, 0, 0, 0, {}
function init(args)
  for j = id + 1, #paths, nthreads do mine[#mine + 1] = j end
  math.randomseed(id + 1)
end
function request()
  n = n + 1
  k = mine[(n - 1) %% #mine + 1]
  local r = math.random()
  bare = r < plain
  if bare then
    plains = plains + 1
    if r < plain / 2 then
      return wrk.format("GET", paths[k], {["Accept-Encoding"] = "gzip"})
    end
    return wrk.format("GET", paths[k])
  end
  return wrk.format("GET", paths[k], {["If-None-Match"] = etags[k]})
end
function response(status, headers, body)
  if status == 200 then ok200 = ok200 + 1
  elseif status == 304 then ok304 = ok304 + 1
  else bad = bad + 1 return end
  local tag = headers["ETag"] or headers["Etag"]
  if tag ~= etags[k] or (status == 200) ~= bare or (bare and #body == 0) then
    wrong = wrong + 1
  elseif not seen[k] then
    seen[k] = true
    served = served + 1
  end
end
if pause > 0 then
  function delay() return pause end
end
function done(summary, latency, requests)
  local total = {sent = 0, plain = 0, ok200 = 0, ok304 = 0, other = 0, wrong = 0, served = 0}
  local names = {sent = "n", plain = "plains", ok200 = "ok200", ok304 = "ok304", other = "bad",
                 wrong = "wrong", served = "served"}
  for _, t in ipairs(threads) do
    for name, var in pairs(names) do total[name] = total[name] + t:get(var) end
  end
  for name, value in pairs(total) do io.write(string.format("soak %%s=%%d\\n", name, value)) end
end
"""


def lua(paths: list[str], etags: list[str], connections: int, rate: float | None) -> str:
    """The wrk script for `connections` threads: each cycles through its share of the feeds,
    mostly with the ETag; with a rate, each pauses so that all send about `rate` a second."""
    pause = 0.0 if not rate else round(connections / rate * 1000, 3)
    return LUA % {
        "paths": ",".join(f'"{p}"' for p in paths),
        "etags": ",".join(f"'{e}'" for e in etags),
        "threads": connections,
        "plain": PLAIN,
        "pause": pause,
    }


def rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, kB (0 once it is gone)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        one = todo.pop()
        todo += parents.get(one, [])
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(found.group(1)) if found else 0
    return total


@dataclass
class Sampler:
    """Samples `rss_kb(pid)` every `every` seconds in a thread, from `start`."""

    pid: int
    every: float
    start: float = field(default_factory=time.monotonic)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB)
    stop: threading.Event = field(default_factory=threading.Event)

    def take(self) -> None:
        self.samples.append((time.monotonic() - self.start, rss_kb(self.pid) / 1024))

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.take()


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(points) < 2:
        return 0.0
    mt = sum(t for t, _ in points) / len(points)
    mm = sum(m for _, m in points) / len(points)
    var = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (m - mm) for t, m in points) / var if var else 0.0


@dataclass(frozen=True)
class Memory:
    start: float
    warm: float
    end: float
    peak: float
    per_minute: float
    growth: float  # end minus after warm-up, MB
    fitted: float  # the slope over the time after warm-up, MB
    flat: bool


def memory(samples: list[tuple[float, float]], warm_up: float, bound: float) -> Memory:
    """The memory figures and the verdict: flat when both growths after warm-up are under
    `bound` MB."""
    after = [s for s in samples if s[0] >= warm_up] or samples[-1:]
    per_minute = slope(after)
    growth = after[-1][1] - after[0][1]
    fitted = per_minute * (after[-1][0] - after[0][0]) / 60
    return Memory(
        samples[0][1],
        after[0][1],
        samples[-1][1],
        max(m for _, m in samples),
        per_minute,
        growth,
        fitted,
        growth < bound and fitted < bound,
    )


def counts(text: str) -> dict[str, int]:
    """The script's own counts and wrk's socket errors, from wrk's output."""
    out = {name: int(value) for name, value in re.findall(r"^soak (\w+)=(\d+)$", text, re.M)}
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    values = sockets.groups() if sockets else ("0",) * 4
    for name, value in zip(("connect", "read", "write", "timeout"), values, strict=True):
        out[name] = int(value)
    return out


def soak(base: str, script: Path, args: argparse.Namespace, sampler: Sampler) -> dict[str, str]:
    """wrk for `args.seconds` in a thread while the sampler samples in another."""
    result: dict[str, str] = {}

    def load() -> None:
        result.update(wrk(base, script, args.seconds, args.connections, args.connections))

    sampler.take()
    watch = threading.Thread(target=sampler.run, daemon=True)
    loader = threading.Thread(target=load)
    watch.start()
    loader.start()
    loader.join()
    sampler.take()
    sampler.stop.set()
    watch.join()
    return result


def table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")


def report(
    args: argparse.Namespace, feeds: int, r: dict[str, str], mem: Memory, alive: bool
) -> bool:
    """Prints the table; whether the soak passed."""
    c = counts(r["text"])
    sockets = c["connect"] + c["read"] + c["write"] + c["timeout"]
    errors = c["other"] + sockets + c["wrong"]
    ok = errors == 0 and c["served"] == feeds and alive and mem.flat
    rate = f"about {args.rate:g} req/s" if args.rate else "as fast as answered"
    table(
        [
            ("measure", "value"),
            ("subscribers (personal feeds)", str(feeds)),
            ("soak", f"{args.seconds} s, warm-up {args.warm_up:g} s, RSS every {args.sample:g} s"),
            ("load", f"wrk, {args.connections} threads of one connection each, {rate}"),
            ("requests", f"{r['requests']} (200: {c['ok200']}, 304: {c['ok304']})"),
            (
                "errors",
                f"{errors} (other status {c['other']}, connect {c['connect']}, "
                f"read {c['read']}, write {c['write']}, timeout {c['timeout']}, "
                f"wrong answer {c['wrong']})",
            ),
            ("req/s", r["rps"]),
            ("latency p50 / p99", f"{r['p50']} / {r['p99']}"),
            ("feeds answered (distinct paths)", f"{c['served']} of {feeds}"),
            ("RSS at start", f"{mem.start:.1f} MB"),
            ("RSS after warm-up", f"{mem.warm:.1f} MB"),
            ("RSS at the end", f"{mem.end:.1f} MB"),
            ("RSS max", f"{mem.peak:.1f} MB"),
            ("RSS slope after warm-up", f"{mem.per_minute:+.2f} MB/min"),
            ("growth after warm-up", f"{mem.growth:+.1f} MB (fitted {mem.fitted:+.1f} MB)"),
            ("memory", f"{'flat' if mem.flat else 'NOT flat'} (bound {args.bound_mb:g} MB)"),
            ("server", "alive, answering" if alive else "DIED or not answering"),
            ("verdict", "pass" if ok else "FAIL"),
        ]
    )
    return ok


def answering(server: subprocess.Popen[bytes], base: str, path: str) -> bool:
    if server.poll() is not None:
        return False
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return int(response.status) == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--volunteers", type=int, default=10000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=None, help="requests a second, about")
    parser.add_argument("--warm-up", type=float, default=None, help="default: 60 s or a fifth")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--bound-mb", type=float, default=10.0)
    args = parser.parse_args()
    if args.warm_up is None:
        args.warm_up = min(60.0, args.seconds / 5)
    if shutil.which("wrk") is None:
        print("skipped: needs wrk (apt-get install wrk)")
        return
    with tempfile.TemporaryDirectory(prefix="roster-soak-") as tmp:
        ws, paths = published_city(Path(tmp), args.volunteers)
        log = (Path(tmp) / "server.log").open("wb")
        server, base = start_server(ws, log)
        try:
            etags = learn_etags(base, paths)
            script = Path(tmp) / "soak.lua"
            script.write_text(lua(paths, etags, args.connections, args.rate), encoding="utf-8")
            sampler = Sampler(server.pid, args.sample)
            result = soak(base, script, args, sampler)
            alive = answering(server, base, paths[0])
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
        ok = report(
            args, len(paths), result, memory(sampler.samples, args.warm_up, args.bound_mb), alive
        )
        if not ok:
            print((Path(tmp) / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
