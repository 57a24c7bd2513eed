"""The fronted server: nginx on the public port, a pool of REST worker processes behind it, and one control
process for everything that holds live state.

Why: one Python process serves about a thousand requests a second on this
machine, with a long latency tail from threads contending for the GIL. Reads
of analytics, profiles and datasets are stateless (the lake is the state), so
they scale out to several processes. Socket.IO sessions, running pipeline
jobs, repayment-event ingestion (which pushes ``risk_update`` to sockets) and
consent changes live in one process, so they stay in one: nginx routes them
there by path, and a default Socket.IO client (long-polling first, then a
WebSocket) keeps working without sticky sessions or a message broker.

``render_nginx_conf`` is pure (tested on its own); :class:`FrontedServer`
starts the three processes, waits until both upstreams answer, supervises
them, and stops all of them together.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PROJECT_ROOT

# Paths served by the control process: Socket.IO, jobs, event ingestion and what it updates, consent changes
# (which may erase data), and AI insights (slow provider calls belong on threads, not on a REST worker).
CONTROL_PATHS = ("pipeline", "jobs", "events", "portfolio", "loans", "consents", "ai-insights", "officer-decisions",
                 "aa")
BODY_LIMIT = "16m"  # nginx passes bodies up to this; the app answers 413 JSON for anything over its own limit
# What nginx itself answers (the app's own errors pass through untouched: proxy_intercept_errors is off), as the
# API's one error shape. 494 is nginx's "request header too large", sent to the client as 400.
FRONT_ERRORS = {
    400: (400, "bad_request", "the request could not be parsed"),
    405: (405, "method_not_allowed", "this method is not allowed here"),
    408: (408, "request_timeout", "the request was not received in time"),
    413: (413, "payload_too_large", f"the request body is over {BODY_LIMIT[:-1]} MB"),
    414: (414, "uri_too_long", "the request line is too long (at most 8 KB); send large inputs in a POST body"),
    494: (400, "header_too_large", "a request header is too long (at most 8 KB)"),
    404: (404, "not_found", "no such endpoint"),
    500: (500, "internal_error", "the server could not complete the request"),
    502: (502, "unavailable", "the server is starting or restarting; retry shortly"),
    503: (503, "unavailable", "the server is starting or restarting; retry shortly"),
    504: (504, "gateway_timeout", "the server did not answer in time; retry shortly"),
    505: (505, "http_version_not_supported", "use HTTP/1.0 or HTTP/1.1"),
}
ERROR_PAGES = "/_front_errors/"  # internal locations; a client asking for one gets the JSON 404
# Who nginx workers run as when the server is started as root (the first that exists): never root.
WORKER_USERS = ("www-data", "nobody")


@dataclass(frozen=True)
class FrontLayout:
    """Where the front listens and where its two upstreams live (Unix sockets in a private run directory)."""

    host: str
    port: int
    run_dir: Path

    @property
    def control_socket(self) -> Path:
        return self.run_dir / "control.sock"

    @property
    def rest_socket(self) -> Path:
        return self.run_dir / "rest.sock"


def nginx_path() -> str | None:
    """The nginx executable, or None when it is not installed (the server then runs as one process)."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(p, os.X_OK)), None)


def worker_user() -> tuple[str, str, int]:
    """The unprivileged user nginx workers drop to when started as root: its name, its group's name, its gid."""
    import grp
    import pwd

    for name in WORKER_USERS:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, grp.getgrgid(entry.pw_gid).gr_name, entry.pw_gid
    raise RuntimeError(f"none of the users {', '.join(WORKER_USERS)} exists to run nginx workers as; "
                       "create one or start the server as an unprivileged user")


def _json_error_pages() -> str:
    """``error_page`` for every error nginx itself answers, each to an internal location returning the JSON body.
    URIs, not named locations: a request whose line could not be parsed has no URI, and nginx refuses to
    redirect such a request to a named location (it answers an HTML 500 instead)."""
    lines = []
    for code, (status, error, message) in FRONT_ERRORS.items():
        body = json.dumps({"error": error, "message": message})
        lines.append(f"error_page {code} {ERROR_PAGES}{code};")
        lines.append(f"location = {ERROR_PAGES}{code} {{ internal; default_type application/json; "
                     f"return {status} '{body}'; }}")
    return "\n        ".join(lines)


def render_nginx_conf(layout: FrontLayout, user: tuple[str, str] | None = None) -> str:
    """The nginx configuration: control paths and Socket.IO to the control process, everything else to the
    REST pool, every error nginx answers itself as JSON, request bodies in memory, no access log (the app
    audits reads). ``user`` (name, group): who the workers run as when the master is root."""
    run = layout.run_dir
    listen = f"[{layout.host}]:{layout.port}" if ":" in layout.host else f"{layout.host}:{layout.port}"
    control = "|".join(CONTROL_PATHS)
    common = """proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;"""
    return f"""# generated by api_panel/front.py for one server run; not edited by hand
{f"user {user[0]} {user[1]};" if user else ""}
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {BODY_LIMIT};
    client_body_buffer_size {BODY_LIMIT};
    proxy_buffer_size 64k;
    proxy_buffers 64 64k;
    proxy_max_temp_file_size 0;
    # JSON the app has not compressed itself (it sends cached analytics pre-compressed; nginx passes a response
    # with Content-Encoding through untouched): gzip at a cheap level
    gzip on;
    gzip_types application/json;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_comp_level 1;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}
    upstream control {{ server unix:{layout.control_socket}; keepalive 16; }}
    upstream rest {{ server unix:{layout.rest_socket}; }}
    server {{
        listen {listen} backlog=4096;
        # nginx answers TRACE with 405 before any location; returned here, the error page below applies
        if ($request_method = TRACE) {{ return 405; }}
        {_json_error_pages()}
        location /socket.io/ {{
            proxy_pass http://control;
            {common}
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
        }}
        location ~ ^/api/({control})(/|$) {{
            proxy_pass http://control;
            {common}
            proxy_set_header Connection "";
            proxy_read_timeout 300s;
        }}
        location ~ ^/(Consent|FI)/Notification$ {{
            proxy_pass http://control;
            {common}
            proxy_set_header Connection "";
        }}
        location / {{
            proxy_pass http://rest;
            {common}
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


def _die_with_parent() -> None:  # runs in the child before exec: no orphaned workers if the server is killed
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _answers(sock_path: Path) -> bool:
    """Whether an upstream answers ``/api/health`` on its Unix socket."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(str(sock_path))
            conn.sendall(b"GET /api/health HTTP/1.0\r\nHost: localhost\r\n\r\n")
            status_line = conn.recv(64).split(b"\r\n", 1)[0].split(b" ")
            return len(status_line) > 1 and status_line[0].startswith(b"HTTP/1.") and status_line[1] == b"200"
    except OSError:
        return False


def ensure_local_redis(url: str) -> None:
    """Start the project's Redis (``scripts/redis.sh``) when the configured URL is on this machine and nobody
    answers there; a remote Redis is the deployment's business."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        return
    port = parts.port or 6379
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return
    except OSError:
        pass
    done = subprocess.run(["bash", str(PROJECT_ROOT / "scripts" / "redis.sh"), "start", str(port)],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"could not start Redis on port {port}: {done.stderr.strip() or done.stdout.strip()}")


class FrontedServer:
    """Starts nginx, the REST pool and the control process (and, when Redis is configured, the repayment-stream
    consumer, restarted if it stops); stops them all when one stops or on a signal."""

    def __init__(self, host: str, port: int, rest_workers: int, control_threads: int, redis_url: str | None = None):
        self.redis_url = redis_url
        self.rest_workers = rest_workers
        self.control_threads = control_threads
        self.layout = FrontLayout(host, port, Path(tempfile.mkdtemp(prefix="msme-api-")))
        self.processes: dict[str, subprocess.Popen] = {}
        self._stopping = False

    def _spawn(self, name: str, argv: list[str]) -> None:
        self.processes[name] = subprocess.Popen(argv, cwd=PROJECT_ROOT, preexec_fn=_die_with_parent)

    def _upstream(self, role: str, bind: Path, extra: list[str]) -> list[str]:
        return [sys.executable, "-m", "api_panel", "serve-upstream", "--role", role, "--bind", f"unix:{bind}", *extra]

    def _spawn_consumer(self) -> None:
        self._spawn("consumer", [sys.executable, "-m", "pipeline", "consume", "--redis", self.redis_url])

    def start(self) -> None:
        """Start Redis and the consumer when configured, the upstreams, wait until both answer, then open the
        public port."""
        family = socket.AF_INET6 if ":" in self.layout.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:  # fail fast, before starting anything
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((self.layout.host, self.layout.port))
            except OSError as exc:
                raise RuntimeError(f"cannot listen on {self.layout.host}:{self.layout.port}: {exc.strerror} "
                                   "(is another server running there?)") from None
        if self.redis_url:
            ensure_local_redis(self.redis_url)
        self._spawn("control", self._upstream("control", self.layout.control_socket,
                                              ["--threads", str(self.control_threads)]))
        self._spawn("rest", self._upstream("rest", self.layout.rest_socket, ["--workers", str(self.rest_workers)]))
        deadline = time.monotonic() + 120
        pending = {"control": self.layout.control_socket, "rest": self.layout.rest_socket}
        while pending:
            for name, path in list(pending.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"the {name} process exited while starting")
                if _answers(path):
                    pending.pop(name)
            if time.monotonic() > deadline:
                raise RuntimeError(f"{', '.join(pending)} did not start within 120 s")
            time.sleep(0.05)
        conf = self.layout.run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(self.layout, self._drop_privileges()))
        self._spawn("nginx", [nginx_path(), "-p", str(self.layout.run_dir), "-c", str(conf), "-e",
                              str(self.layout.run_dir / "error.log"), "-g", "daemon off;"])
        if self.redis_url:  # after the control process: its message queue listener is up to relay updates
            self._spawn_consumer()

    def _drop_privileges(self) -> tuple[str, str] | None:
        """As root: the user nginx workers run as, given a way into the run directory (search only, through its
        group: they reach the upstream sockets, nobody can list it). Unprivileged: nothing to drop."""
        if os.geteuid() != 0:
            return None
        user, group, gid = worker_user()
        os.chown(self.layout.run_dir, 0, gid)
        os.chmod(self.layout.run_dir, 0o710)
        return user, group

    def stop(self, *_args) -> None:
        """Stop every process (nginx first, so no request reaches a stopping upstream) and remove the run dir."""
        if self._stopping:
            return
        self._stopping = True
        for name in ("consumer", "nginx", "rest", "control"):
            proc = self.processes.get(name)
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        deadline = time.monotonic() + 12
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.layout.run_dir, ignore_errors=True)

    def _show_nginx_errors(self) -> None:
        """nginx writes why it stopped (a port in use, say) to its log in the run directory, which ``stop``
        removes: show the last lines first."""
        log = self.layout.run_dir / "error.log"
        if log.exists():
            for line in log.read_text(errors="replace").splitlines()[-5:]:
                print(f"nginx: {line}", file=sys.stderr)

    def run(self) -> int:
        """Serve until a signal or until one of the processes exits; the exit code says which."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        try:
            self.start()
            print(f"serving on http://{self.layout.host}:{self.layout.port}/ (nginx, {self.rest_workers} REST "
                  f"workers, control process with {self.control_threads} threads)", file=sys.stderr, flush=True)
            while not self._stopping:
                for name, proc in list(self.processes.items()):
                    if name == "consumer" and proc.poll() is not None and not self._stopping:
                        print(f"warning: the stream consumer exited ({proc.returncode}); restarting it",
                              file=sys.stderr, flush=True)
                        time.sleep(2)
                        self._spawn_consumer()
                    elif proc.poll() is not None and not self._stopping:
                        print(f"error: the {name} process exited ({proc.returncode}); stopping", file=sys.stderr)
                        self._show_nginx_errors()
                        self.stop()
                        return 1
                time.sleep(0.2)
            return 0
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            self.stop()
