"""Are the lake's outputs unchanged? The ten demo customers built by two code trees, compared file by file.

``python -m bench outputs [--against REV] [--as-of 2026-11]`` checks out ``REV`` (default ``HEAD``) into a
temporary git worktree, runs ``python -m pipeline prepare-demo --as-of`` in this checkout and in that one (each
into its own empty lake, side by side), and compares every file the two lakes hold: raw and clean data byte for
byte, JSON documents (analytics, models' cards, loan book, consents, logs) after removing the fields that say
*when* something ran (:data:`VOLATILE_KEYS`). It prints one line per layer and every file that differs, with the
first differing path inside it, and exits 1 if any file differs.

Use it around a refactor: ``python -m bench outputs --against <commit before it>``. The comparison goes through
the command line only (a contract), never through module paths, so two trees with different layouts compare.
Pickled models (``*.joblib``) name the classes' modules and are compared through their JSON cards instead.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VOLATILE_KEYS = frozenset({"generated_at", "trained_at", "ts", "started_at", "finished_at", "duration_s",
                           "created_at", "updated_at", "built_at", "accepted_at", "booked_at", "recorded_at", "elapsed_s",
                           "seconds", "duration_ms", "fit_seconds", "timings"})
SKIPPED_SUFFIXES = (".joblib", ".lock")
# the loan book records the file stamps (mtime, size) of the documents it was built from, to know when to rebuild
STAMP_KEYS = {"monitoring": frozenset({"sources"})}


# a model version names when it was trained: ``behaviour-1.0+20261203T074931.f24a690f`` (the data fingerprint stays)
_TRAINED_STAMP = re.compile(r"\+\d{8}T\d{6}\.")


def strip_volatile(value: Any) -> Any:
    """``value`` without the keys that record when something ran, at any depth, and versions without their time."""
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    if isinstance(value, str) and _TRAINED_STAMP.search(value):
        return _TRAINED_STAMP.sub("+<trained>.", value)
    return value


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """The JSON path of the first place where ``a`` and ``b`` differ, or None when they are equal."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'second' if key not in a else 'first'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {str(a)[:60]!r} vs {str(b)[:60]!r}"


def _parse(path: Path, layer: str) -> Any:
    data = path.read_bytes()
    if path.suffix == ".json":
        document = strip_volatile(orjson.loads(data))
        if isinstance(document, dict):
            document = {k: v for k, v in document.items() if k not in STAMP_KEYS.get(layer, ())}
        return document
    if path.suffix == ".ndjson" and path.parts[-3:-2] != ("raw",):
        return [strip_volatile(orjson.loads(line)) for line in data.splitlines() if line.strip()]
    return data


def compare_lakes(first: Path, second: Path) -> dict[str, Any]:
    """Every file of two lakes compared; ``{"files", "identical", "differences": [(rel, where)]}``."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES) and not p.name.startswith(".")}

    a, b = files(first), files(second)
    differences: list[tuple[str, str]] = [(rel, "only in the first lake") for rel in sorted(a - b)]
    differences += [(rel, "only in the second lake") for rel in sorted(b - a)]
    layers: Counter[str] = Counter()
    for rel in sorted(a & b):
        layer = rel.split("/", 1)[0]
        layers[layer] += 1
        x, y = _parse(first / rel, layer), _parse(second / rel, layer)
        if isinstance(x, bytes) or isinstance(y, bytes):
            where = None if x == y else "bytes differ"
        else:
            where = first_difference(x, y)
        if where:
            differences.append((rel, where))
    return {"files": len(a | b), "by_layer": dict(layers), "identical": len(a | b) - len(differences),
            "differences": differences}


def build_demo(tree: Path, lake: Path, as_of: str) -> subprocess.Popen:
    """Start ``prepare-demo`` of the code in ``tree`` into ``lake`` (a fresh directory)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "LAKE_DIR": str(lake), "PYTHONHASHSEED": "0"}
    env.pop("REDIS_URL", None)
    log = open(lake.parent / f"{lake.name}.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "pipeline", "prepare-demo", "--as-of", as_of, "--lake", str(lake)],
                            cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)


def main(argv: list[str] | None = None) -> int:
    """Build the demo in this checkout and in ``--against``, compare, print; exit status 1 on any difference."""
    parser = argparse.ArgumentParser(prog="python -m bench outputs", description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="HEAD", help="git revision to compare with (default: HEAD)")
    parser.add_argument("--as-of", default="2026-11", help="as-of month of the demo (default: 2026-11)")
    args = parser.parse_args([] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="bench-outputs-"))
    other = work / "tree"
    try:
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "add", "--detach", "--quiet", str(other),
                        args.against], check=True)
        lakes = {"this checkout": work / "lake_this", f"{args.against}": work / "lake_other"}
        procs = [build_demo(PROJECT_ROOT, lakes["this checkout"], args.as_of),
                 build_demo(other, lakes[args.against], args.as_of)]
        for (name, lake), proc in zip(lakes.items(), procs):
            if proc.wait() != 0:
                print(f"outputs: prepare-demo failed in {name}; see {lake.parent / (lake.name + '.log')}")
                return 1
        result = compare_lakes(*lakes.values())
    finally:
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force", str(other)],
                       check=False, capture_output=True)
    print(f"outputs: this checkout vs {args.against}, ten demo customers as of {args.as_of}")
    for layer, n in sorted(result["by_layer"].items()):
        print(f"  {layer:<12} {n:>5} files compared")
    print(f"  {result['identical']} of {result['files']} files identical apart from timestamps"
          f" ({len(result['differences'])} differ)")
    for rel, where in result["differences"][:50]:
        print(f"    {rel}: {where}")
    if not result["differences"]:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if result["differences"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
