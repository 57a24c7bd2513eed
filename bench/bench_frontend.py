"""Dashboard benchmark: the production bundle's gzipped JavaScript against its budgets, and how long the
Analytics Insights view of a loaded customer takes to become interactive in a real browser.

It builds nothing: it reads ``frontend/dist`` (``npm run build``; ``make test`` builds it). Sizes come from
``frontend/scripts/sizes.mjs --json`` when Node is installed, else from the same computation here (gzip -9 of
every JS file; "first view" = the entry chunk and its static imports plus the landing tab's lazy chunk and
its static imports, read from Vite's ``dist/.vite/manifest.json``). Budgets: 400 KB of JS in total and
250 KB for the first view, gzipped.

The interactive time is the one the end-to-end tests measured last (``tests/e2e/screenshots/timings.json``,
written by ``tests/e2e/test_dashboard.py::test_time_until_analytics_insights_is_interactive``). Without that
file — or with ``--measure`` — it runs that one test (Playwright on Debian's /usr/bin/chromium against the
real server and a temporary lake, ~30 s) and reads the file it writes.

    python -m bench.bench_frontend [--measure] [--json]
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DIST = PROJECT_ROOT / "frontend" / "dist"
SIZES_SCRIPT = PROJECT_ROOT / "frontend" / "scripts" / "sizes.mjs"
TIMINGS = PROJECT_ROOT / "tests" / "e2e" / "screenshots" / "timings.json"
TIMING_TEST = "tests/e2e/test_dashboard.py::test_time_until_analytics_insights_is_interactive"
BUDGET_TOTAL_KB = 400
BUDGET_FIRST_VIEW_KB = 250
LANDING = "insights"


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def sizes_in_python(dist: Path = DIST, landing: str = LANDING) -> dict:
    """The same figures as ``sizes.mjs --json`` (for machines without Node)."""
    files = sorted(dist.rglob("*.js"))
    by_file = {p.relative_to(dist).as_posix(): _gzip_size(p) for p in files}
    manifest_path = dist / ".vite" / "manifest.json"
    first_view: list[str] = []
    described = "entry only"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())

        def add(key: str) -> None:
            chunk = manifest.get(key)
            if not chunk or chunk["file"] in first_view:
                return
            first_view.append(chunk["file"])
            for imported in chunk.get("imports", []):
                add(imported)

        for key, chunk in manifest.items():
            if chunk.get("isEntry"):
                add(key)
        landing_key = next((k for k, c in manifest.items() if c.get("isDynamicEntry")
                            and (f"/features/{landing}/" in k or c.get("name") == landing)), None)
        if landing_key:
            add(landing_key)
            described = f"entry + {landing}"
    else:  # no manifest: the scripts index.html loads
        import re
        html = (dist / "index.html").read_text()
        first_view = [m.lstrip("/") for m in re.findall(r'(?:src|href)="([^"]+\.js)"', html)]
    total = sum(by_file.values())
    first = sum(by_file.get(f, 0) for f in first_view)
    return {"dist": str(dist), "total_js_gzip_bytes": total, "first_view_js_gzip_bytes": first,
            "first_view": described, "first_view_chunks": first_view,
            "files": [{"file": f, "gzip_bytes": n} for f, n in sorted(by_file.items(), key=lambda x: -x[1])],
            "within_budget": total <= BUDGET_TOTAL_KB * 1024 and first <= BUDGET_FIRST_VIEW_KB * 1024,
            "source": "python"}


def bundle_sizes(dist: Path = DIST) -> dict:
    """Gzipped JS sizes of the build: engineer A's ``sizes.mjs`` through Node if present, else computed here."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"no dashboard build in {dist}: run `cd frontend && npm ci && npm run build` first")
    node = shutil.which("node")
    if node and SIZES_SCRIPT.exists():
        result = subprocess.run([node, str(SIZES_SCRIPT), "--json", "--dist", str(dist)], capture_output=True,
                                text=True, timeout=120)
        if result.returncode in (0, 1) and result.stdout.strip().startswith("{"):
            report = json.loads(result.stdout)
            report["source"] = "frontend/scripts/sizes.mjs"
            return report
    return sizes_in_python(dist)


def interactive_timings(measure: bool = False) -> dict | None:
    """The last e2e measurement; run the timing test first when asked or when there is none."""
    if measure or not TIMINGS.exists():
        print(f"measuring in Chromium: pytest {TIMING_TEST}", flush=True)
        result = subprocess.run([sys.executable, "-m", "pytest", TIMING_TEST, "-q", "-p", "no:cacheprovider"],
                                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            print(result.stdout[-2000:] + result.stderr[-2000:])
            return None
    try:
        return json.loads(TIMINGS.read_text())
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    """Print the bundle sizes against the budgets and the Analytics Insights interactive time."""
    argv = sys.argv[1:] if argv is None else argv
    report = bundle_sizes()
    kb = lambda n: f"{n / 1024:.1f} KB"  # noqa: E731
    total, first = report["total_js_gzip_bytes"], report["first_view_js_gzip_bytes"]
    print("== dashboard bundle (gzip -9), from", report.get("source"))
    for f in report["files"]:
        if f["file"].endswith(".js"):
            mark = "  first view" if f["file"] in report.get("first_view_chunks", []) else ""
            print(f"  {f['file']:<48} {kb(f['gzip_bytes']):>10}{mark}")
    print(f"JS total:       {kb(total):>10}  budget {BUDGET_TOTAL_KB} KB  "
          f"{'OK' if total <= BUDGET_TOTAL_KB * 1024 else 'OVER BUDGET'}")
    print(f"JS first view:  {kb(first):>10}  budget {BUDGET_FIRST_VIEW_KB} KB  "
          f"{'OK' if first <= BUDGET_FIRST_VIEW_KB * 1024 else 'OVER BUDGET'}  ({report.get('first_view')})")
    timings = interactive_timings(measure="--measure" in argv)
    print("== Analytics Insights, time to interactive (Chromium, real server)")
    if not timings:
        print("  no measurement: run `.venv/bin/python -m pytest tests/e2e` (needs /usr/bin/chromium)")
    else:
        for name, entry in timings.items():
            print(f"  {name:<36} {entry['ms']:>8.0f} ms   {entry.get('what', '')} [{entry.get('measured_at', '')}]")
    if "--json" in argv:
        print(json.dumps({"total_js_gzip_bytes": total, "first_view_js_gzip_bytes": first,
                          "budgets_kb": {"total": BUDGET_TOTAL_KB, "first_view": BUDGET_FIRST_VIEW_KB},
                          "interactive": timings}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
