"""API benchmark (issue 5 and issue 15 targets), against the real server started as ``python -m api_panel serve``.

* Analytics GETs for a prepared customer, served as `make run` serves them (nginx, REST worker pool, control
  process: api_panel/front.py), at 50 concurrent connections with ``wrk`` (Debian package; installed
  by ``make bench`` when missing): requests/s, p50/p99 latency, errors (target: >= 1,000 req/s, p99 < 50 ms,
  zero errors).
* The analytics bundle of the baseline customer alone (issue 15: >= 1,500 req/s, p99 < 50 ms on 2 cores), with
  ``Accept-Encoding: gzip`` as a browser sends it: several wrk runs, best and median, with the load average of
  the machine at the time (other work on the machine takes its share of the two cores).
* Socket.IO delivery: the delay between a ``pipeline_log`` line being emitted (its ``ts``) and a connected
  python-socketio client receiving it, over a whole pipeline job (target: < 100 ms).

    python -m bench api                       # prepares the baseline customer in a temporary lake
    python -m bench api --lake /tmp/demo      # a prepared demo lake (`python -m pipeline prepare-demo --lake`)
    python -m bench api --bundle-only --runs 5

It prints the bytes on the wire of every demo customer's bundle (plain, gzip) and reconciliation document first.

Figures measured are in bench/API.md.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

import requests
import socketio

from bench.server import start_server
from pipeline.config import load_config
from pipeline.lake import Lake
from pipeline.runner import run_steps

CUSTOMER = "CUST_MSM_00001"
TOKEN = "bench-analyst-token"
ENDPOINTS = ["/api/analytics", "/api/credit-score", "/api/smart-collect", "/api/anomalies", "/api/customer-profile"]
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1] .. "?customer_id=%s", {["Authorization"] = "Bearer %s"%s})
end
"""


def _wrk(base: str, seconds: int = 10, connections: int = 50, endpoints: list[str] = ENDPOINTS,
         gzip: bool = False) -> dict:
    encoding = ', ["Accept-Encoding"] = "gzip"' if gzip else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (", ".join(f'"{p}"' for p in endpoints), CUSTOMER, TOKEN, encoding))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"),
            "transfer": f"{transfer.group(1)} {transfer.group(2)}/s" if transfer else "?",
            "p99": latency("99"), "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": int(non_2xx.group(1)) if non_2xx else 0, "socket_errors": socket_errors.group(1) if socket_errors else "none"}


def _socket_latency(base: str) -> list[float]:
    delays, done = [], threading.Event()
    client = socketio.Client()

    @client.on("pipeline_log")
    def _log(data):
        sent = datetime.fromisoformat(data["ts"]).timestamp()
        delays.append((time.time() - sent) * 1000)

    @client.on("pipeline_status")
    def _status(data):
        if data["status"] in ("done", "error"):
            done.set()

    client.connect(base, auth={"token": TOKEN}, transports=["websocket"])
    client.call("join", {"customer_id": CUSTOMER}, timeout=10)
    requests.post(base + "/api/pipeline/run_all", json={"customer_id": CUSTOMER},
                  headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).raise_for_status()
    done.wait(300)
    client.disconnect()
    return delays


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _bundle_runs(base: str, runs: int, seconds: int, gzip: bool) -> list[dict]:
    out = []
    for _ in range(runs):
        load = _load_average()
        result = _wrk(base, seconds=seconds, endpoints=["/api/analytics"], gzip=gzip)
        out.append({**result, "load": load})
    return out


def _print_bundle(label: str, results: list[dict]) -> None:
    best = max(results, key=lambda r: r["rps"])
    median = sorted(results, key=lambda r: r["rps"])[len(results) // 2]
    for r in results:
        print(f"  run: {r['rps']:,.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, {r['errors']} errors, "
              f"{r['transfer']}, load average before the run {r['load']}")
    print(f"{label}: best {best['rps']:,.0f} req/s (p99 {best['p99']:.1f} ms), median {median['rps']:,.0f} req/s "
          f"(p99 {median['p99']:.1f} ms) over {len(results)} runs (targets >= 1,500 req/s, p99 < 50 ms)")


def _sizes(base: str, customers: list[str]) -> None:
    """Bytes on the wire of each customer's bundle (plain and gzip) and reconciliation document."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    print("customer        bundle   gzip     reconciliation")
    for customer in customers:
        sizes = []
        for path, encoding in (("/api/analytics", "identity"), ("/api/analytics", "gzip"),
                               ("/api/reconciliation", "identity")):
            response = requests.get(f"{base}{path}?customer_id={customer}", timeout=30, stream=True,
                                    headers={**headers, "Accept-Encoding": encoding})
            sizes.append(len(response.raw.read(decode_content=False)) if response.ok else 0)
        print(f"{customer}  {sizes[0]:>8,} {sizes[1]:>7,} {sizes[2]:>10,}")


def _prepare(lake: Lake) -> None:
    run_steps(lake, CUSTOMER, ["generate", "clean", "analyze", "score", "models"], load_config(), lambda *_: None,
              {"generate": {"profile": "baseline", "as_of": date.today().replace(day=1)}})


def main(argv: list[str] | None = None) -> None:
    """Print the API benchmark figures."""
    parser = argparse.ArgumentParser(prog="python -m bench api")
    parser.add_argument("--lake", help="a prepared lake holding CUST_MSM_00001 (copied; default: prepare one)")
    parser.add_argument("--runs", type=int, default=5, help="wrk runs on the bundle (best and median reported)")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--bundle-only", action="store_true", help="only the bundle figures")
    args = parser.parse_args(argv or [])
    if shutil.which("wrk") is None:
        print("== api (issue 5): wrk is not installed (apt-get install wrk, or `make bench`)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(Path(tmp) / "lake")
        if args.lake:
            shutil.copytree(args.lake, lake.root, ignore=shutil.ignore_patterns("audit*"))
        else:
            _prepare(lake)
        proc, base = start_server(lake.root, TOKEN)
        try:
            _wrk(base, seconds=2)  # warm the document cache
            _sizes(base, sorted(c for c in load_config().get("demo_customers", {CUSTOMER: ""})
                                if lake.analytics_path(c, "credit_score").exists()))
            bundle_size = len(requests.get(f"{base}/api/analytics?customer_id={CUSTOMER}", timeout=30,
                                           headers={"Authorization": f"Bearer {TOKEN}"}).content)
            gzipped = _bundle_runs(base, args.runs, args.seconds, gzip=True)
            plain = _bundle_runs(base, max(1, args.runs // 2), args.seconds, gzip=False)
            load = None if args.bundle_only else _wrk(base)
            delays = [] if args.bundle_only else _socket_latency(base)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    print(f"== api (issue 15): the bundle of {CUSTOMER}, {bundle_size:,} bytes uncompressed, wrk -c50 "
          f"{args.seconds} s, {os.cpu_count()} cores")
    _print_bundle("bundle, Accept-Encoding: gzip", gzipped)
    _print_bundle("bundle, uncompressed", plain)
    if load is None:
        return
    print("== api (issue 5)")
    print(f"analytics GETs, 50 connections, 10 s    : {load['rps']:,.0f} req/s, p50 {load['p50']:.1f} ms, "
          f"p99 {load['p99']:.1f} ms, {load['requests']:,} requests, {load['errors']} errors, socket errors: "
          f"{load['socket_errors']} (targets >= 1,000 req/s, p99 < 50 ms, 0 errors)")
    if delays:
        ordered = sorted(delays)
        print(f"Socket.IO log delivery over a run_all job: {len(delays)} lines, median {statistics.median(delays):.1f} ms, "
              f"p99 {ordered[int(len(ordered) * 0.99) - 1]:.1f} ms, max {ordered[-1]:.1f} ms (target < 100 ms)")
