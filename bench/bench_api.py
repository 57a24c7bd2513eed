"""API benchmark (issue 5 targets), against the real server started as ``python -m api_panel serve``.

* Analytics GETs for a prepared customer, served as `make run` serves them (nginx, REST worker pool, control
  process: api_panel/front.py), at 50 concurrent connections with ``wrk`` (Debian package; installed
  by ``make bench`` when missing): requests/s, p50/p99 latency, errors (target: >= 1,000 req/s, p99 < 50 ms,
  zero errors).
* Socket.IO delivery: the delay between a ``pipeline_log`` line being emitted (its ``ts``) and a connected
  python-socketio client receiving it, over a whole pipeline job (target: < 100 ms).
"""
from __future__ import annotations

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
  return wrk.format("GET", paths[(i %% #paths) + 1] .. "?customer_id=%s", {["Authorization"] = "Bearer %s"})
end
"""


def _wrk(base: str, seconds: int = 10, connections: int = 50) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (", ".join(f'"{p}"' for p in ENDPOINTS), CUSTOMER, TOKEN))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"),
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


def main() -> None:
    """Print the API benchmark figures."""
    if shutil.which("wrk") is None:
        print("== api (issue 5): wrk is not installed (apt-get install wrk, or `make bench`)")
        return
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(Path(tmp) / "lake")
        run_steps(lake, CUSTOMER, ["generate", "clean", "analyze"], config, lambda *_: None,
                  {"generate": {"profile": "baseline", "as_of": date.today().replace(day=1)}})
        proc, base = start_server(lake.root, TOKEN)
        try:
            _wrk(base, seconds=2)  # warm the document cache
            load = _wrk(base)
            delays = _socket_latency(base)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    print("== api (issue 5)")
    print(f"analytics GETs, 50 connections, 10 s    : {load['rps']:,.0f} req/s, p50 {load['p50']:.1f} ms, "
          f"p99 {load['p99']:.1f} ms, {load['requests']:,} requests, {load['errors']} errors, socket errors: "
          f"{load['socket_errors']} (targets >= 1,000 req/s, p99 < 50 ms, 0 errors)")
    if delays:
        ordered = sorted(delays)
        print(f"Socket.IO log delivery over a run_all job: {len(delays)} lines, median {statistics.median(delays):.1f} ms, "
              f"p99 {ordered[int(len(ordered) * 0.99) - 1]:.1f} ms, max {ordered[-1]:.1f} ms (target < 100 ms)")
