"""Cleaning as a pure function: raw NDJSON lines in, clean records + quarantine + counts out.

Order matters and is deliberate: parse, repair formats, validate, then drop
duplicates among the valid records. Validating before de-duplicating means a
damaged copy of a good record is quarantined instead of hiding the good one.
The conservation law ``read = written + duplicates + quarantined`` holds for
every source, and it is checked here, not assumed.
"""
from __future__ import annotations

import gc
import multiprocessing
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

import orjson
from fastjsonschema import JsonSchemaValueException

from generators.gc_pause import cycle_collection_paused
from pipeline.fastcheck import compile_check
from pipeline.fastpath import compile_normalizer
from pipeline.normalize import CANONICAL_PATTERNS
from pipeline.slowpath import normalize_record
from pipeline.sources import SOURCE_REPAIRS, SPECS, SourceSpec, compile_paths, iter_slots, split_path
from pipeline.validation import Reason, SchemaValidator, validator_for


@dataclass
class CleanResult:
    """What cleaning one source produced: the clean records as one NDJSON text (each line ends in a newline).

    One buffer, not a list of lines: keeping ~10^5 separately allocated lines alive cost more than
    serialising them (``bench/SPEED.md``), and the stage writes the text as it is.
    """

    source: str
    clean_ndjson: bytes
    quarantine: list[dict]
    report: dict = field(default_factory=dict)

    @property
    def clean_lines(self) -> list[bytes]:
        """The clean records' NDJSON lines, without their newlines (split on demand)."""
        return self.clean_ndjson.splitlines()

    @property
    def clean(self) -> list[dict]:
        """The clean records as dicts (decoded on demand)."""
        return [orjson.loads(line) for line in self.clean_ndjson.splitlines()]


class SourceCleaner:
    """Everything needed to clean one source, built once and reused for every customer."""

    def __init__(self, spec: SourceSpec, validator: SchemaValidator, compiled: bool = True):
        """``compiled=False`` runs the interpreted specification instead (:mod:`pipeline.slowpath`), for tests."""
        self.spec = spec
        self.validator = validator
        if compiled:
            self.normalize = compile_normalizer(spec)
            self.is_valid = validator.check or _passes(validator.fast)
            # for a record just normalised (and not repaired further): its dates and timestamps are canonical
            held = {tuple(split_path(path)): CANONICAL_PATTERNS[kind]
                    for kind in CANONICAL_PATTERNS for path in getattr(spec, kind)}
            self.is_valid_parsed = (compile_check(validator.schema, held) if validator.check else None) \
                or self.is_valid
        else:
            self.normalize = partial(normalize_record, spec)
            self.is_valid = self.is_valid_parsed = _passes(validator.fast)
        self.droppable = [(path, steps, kind) for (path, steps), kind
                          in zip(compile_paths(tuple(spec.droppable)), spec.droppable.values())]
        self.repair = SOURCE_REPAIRS.get(spec.name)
        self.key_fields = spec.natural_key
        self.key_of = _key_function(spec.natural_key, validator.schema)

    def _count_missing(self, record: dict, missing: dict[str, int]) -> None:
        for path, steps, kind in self.droppable:
            if kind is None and len(steps) > 1:
                parent_steps, leaf = steps[:-1], steps[-1]
                for container, key in iter_slots(record, parent_steps):
                    if isinstance(container[key], dict) and leaf not in container[key]:
                        missing[path] += 1

    def process(self, lines: list[bytes], first_line: int = 1, kept: "_Kept | None" = None) -> "_Partial":
        """Parse, repair and validate lines; the valid records go into ``kept`` (or the part's ``valid``).

        The loop is the hot path of cleaning (``python -m bench speed``): a valid record costs one
        parse, the compiled normaliser, the compiled check, its key and one dump, and nothing else,
        all through local names. A record the source's repair function did not touch is checked by
        ``is_valid_parsed``, which does not re-match its just-parsed dates and timestamps. Without ``kept`` the valid records are collected undeduplicated in
        ``valid`` (a chunk of a parallel clean); :meth:`clean` passes a :class:`_Kept`, which
        de-duplicates as it goes (first wins) into one NDJSON buffer.
        """
        part = _Partial(read=len(lines))
        dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
        valid_append = part.valid.append
        dedupe = kept is not None
        if dedupe:
            first_at, buffer, examples, seen_before = kept.first_at, kept.buffer, kept.examples, kept.seen_before
        # counted in plain (default)dicts, whose ``+= 1`` the interpreter runs 2-3x faster than a Counter's
        repairs, missing, by_reason = defaultdict(int), defaultdict(int), part.by_reason
        quarantine = part.quarantine
        key_of, loads, normalize = self.key_of, orjson.loads, self.normalize
        repair, errors, is_valid, is_valid_parsed = self.repair, self.validator.errors, self.is_valid, self.is_valid_parsed
        count_missing = self._count_missing if any(kind is None and len(steps) > 1
                                                   for _, steps, kind in self.droppable) else None
        problems: list[Reason] = []
        duplicates = 0
        for line_no, line in enumerate(lines, start=first_line):
            try:
                record = loads(line)
            except orjson.JSONDecodeError as exc:
                quarantine.append(_quarantine_entry(line_no, line, [Reason("malformed_json", "$", f"not valid JSON: {exc}")]))
                by_reason["malformed_json"] += 1
                continue
            if record.__class__ is not dict:
                reasons = [Reason("not_an_object", "$", f"expected a JSON object, got {type(record).__name__}")]
                quarantine.append(_quarantine_entry(line_no, line, reasons))
                by_reason["not_an_object"] += 1
                continue
            if normalize(record, repairs, missing, problems) and repair is not None:
                for kind in repair(record):
                    repairs[kind] += 1
                check = is_valid
            else:
                check = is_valid_parsed
            if count_missing is not None:
                count_missing(record, missing)
            if problems:
                reasons = sorted({(r.code, r.message): r for r in problems + errors(record)}.values(),
                                 key=lambda r: (r.code, r.message))
                problems = []
            elif check(record):
                reasons = None
            else:
                reasons = errors(record)
            if reasons:
                quarantine.append(_quarantine_entry(line_no, line, reasons))
                for code in {r.code for r in reasons}:
                    by_reason[code] += 1
                continue
            key = key_of(record)
            if not dedupe:
                valid_append((line_no, key, dumps(record)))
                continue
            digest = hash(key)
            if digest not in first_at:
                first_at[digest] = len(buffer)
            elif seen_before(key, digest):
                duplicates += 1
                if len(examples) < 50:
                    examples.append([line_no, *key])
                continue
            buffer += dumps(record, option=newline)
        if dedupe:
            kept.duplicates += duplicates
        part.repairs.update(repairs)
        part.missing.update(missing)
        return part

    def _key_of_line(self, line: bytes) -> tuple:
        record = orjson.loads(line)
        return tuple(map(record.get, self.key_fields))

    def finish(self, parts: list["_Partial"], hashed: bool = False) -> CleanResult:
        """Drop duplicates across all parts in line order (first wins) and build the report.

        With ``hashed`` the parts carry hashes of the natural keys (from
        parallel workers); two records whose hashes meet are compared on their
        real keys, so a hash collision can never drop a record.
        """
        repairs, missing, by_reason = Counter(), Counter(), Counter()
        clean: list[bytes] = []
        quarantine: list[dict] = []
        seen: dict = {}
        duplicates, duplicate_keys, read = 0, [], 0
        for part in parts:
            read += part.read
            repairs.update(part.repairs)
            missing.update(part.missing)
            by_reason.update(part.by_reason)
            quarantine.extend(part.quarantine)
            for line_no, key, line in part.valid:
                earlier = seen.get(key)
                if earlier is not None and hashed:
                    real_key = self._key_of_line(line)
                    if not any(self._key_of_line(previous) == real_key for previous in earlier):
                        earlier.append(line)  # a hash collision, not a duplicate
                        clean.append(line)
                        continue
                if earlier is not None:
                    duplicates += 1
                    if len(duplicate_keys) < 50:
                        duplicate_keys.append([line_no, *(self._key_of_line(line) if hashed else key)])
                    continue
                seen[key] = [line] if hashed else True
                clean.append(line)
        clean.append(b"")  # the last line's newline
        written = len(clean) - 1
        return self._result(b"\n".join(clean) if written else b"", written, repairs, missing, by_reason,
                            quarantine, read, duplicates, duplicate_keys)

    def _result(self, clean_ndjson: bytes, written: int, repairs: Counter, missing: Counter, by_reason: Counter,
                quarantine: list[dict], read: int, duplicates: int, duplicate_keys: list) -> CleanResult:
        report = {
            "source": self.spec.name,
            "status": "ok",
            "read": read,
            "repaired": dict(sorted(repairs.items())),
            "missing_optional": dict(sorted(missing.items())),
            "duplicates": duplicates,
            "duplicate_examples": duplicate_keys,
            "quarantined": {"total": len(quarantine), "by_reason": dict(sorted(by_reason.items()))},
            "written": written,
            "conserved": read == written + duplicates + len(quarantine),
        }
        if not report["conserved"]:  # a bug here would silently lose data; refuse loudly instead
            raise AssertionError(f"{self.spec.name}: read {read} != written + duplicates + quarantined")
        return CleanResult(self.spec.name, clean_ndjson, quarantine, report)

    def clean(self, lines: list[bytes]) -> CleanResult:
        """Clean one source's raw lines in this process; never raises on bad records, it quarantines them."""
        with cycle_collection_paused():   # no cycles, only many short-lived dicts and key tuples
            kept = _Kept(self.key_of)
            part = self.process(lines, kept=kept)
            return self._result(bytes(kept.buffer), kept.written, part.repairs, part.missing, part.by_reason,
                                part.quarantine, part.read, kept.duplicates, kept.examples)




def _key_function(key_fields: tuple[str, ...], schema: dict) -> Callable[[dict], tuple]:
    """The natural key of a record as a tuple: one C call when the schema requires every key field of a valid
    record (an absent field would raise), else ``dict.get`` per field (an absent one is None)."""
    if len(key_fields) > 1 and set(key_fields) <= set(schema.get("required", ())):
        return itemgetter(*key_fields)
    return lambda record: tuple(map(record.get, key_fields))


def _passes(validate: Callable[[Any], Any]) -> Callable[[Any], bool]:
    """A yes/no form of a fastjsonschema validator (which raises on the first failure)."""
    def passes(record: Any) -> bool:
        try:
            validate(record)
            return True
        except JsonSchemaValueException:
            return False
    return passes


class _Kept:
    """The valid records of a one-process clean, de-duplicated as they come (first wins, as in
    :meth:`SourceCleaner.finish`) and serialised straight into one buffer by :meth:`SourceCleaner.process`.

    Only the hashes of the natural keys are remembered, with where their records start in the buffer:
    holding 10^5 key tuples (and the strings in them) alive cost ~1 µs a record (``bench/SPEED.md``).
    When a hash comes again, the keys are compared for real, by decoding the earlier record, so a hash
    collision can never drop a record.
    """

    def __init__(self, key_of: Callable[[dict], tuple]) -> None:
        self.key_of = key_of
        self.buffer = bytearray()
        self.first_at: dict[int, int] = {}  # key hash -> offset of the first record kept with it
        self.also_at: dict[int, list[int]] = {}  # key hash -> offsets of later records with other keys but that hash
        self.duplicates = 0
        self.examples: list[list] = []

    @property
    def written(self) -> int:
        """How many records the buffer holds."""
        return len(self.first_at) + sum(map(len, self.also_at.values()))

    def seen_before(self, key: tuple, digest: int) -> bool:
        """Whether a record with ``key`` (whose hash ``digest`` was kept before) is in the buffer already;
        if not, the record about to be appended is remembered under that hash too."""
        buffer = self.buffer
        for offset in (self.first_at[digest], *self.also_at.get(digest, ())):
            if self.key_of(orjson.loads(buffer[offset:buffer.index(b"\n", offset)])) == key:
                return True
        self.also_at.setdefault(digest, []).append(len(buffer))
        return False


@dataclass
class _Partial:
    """What one chunk of lines produced before de-duplication."""

    read: int
    valid: list[tuple[int, tuple, bytes]] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    repairs: Counter = field(default_factory=Counter)
    missing: Counter = field(default_factory=Counter)
    by_reason: Counter = field(default_factory=Counter)


def _quarantine_entry(line_no: int, line: bytes, reasons: list[Reason]) -> dict[str, Any]:
    return {
        "line": line_no,
        "raw": line.decode("utf-8", errors="replace"),
        "reasons": [r.as_dict() for r in reasons],
    }


_CLEANERS: dict[str, SourceCleaner] = {}


def cleaner_for(source: str) -> SourceCleaner:
    """The cleaner of a source, compiled once per process."""
    if source not in _CLEANERS:
        _CLEANERS[source] = SourceCleaner(SPECS[source], validator_for(source))
    return _CLEANERS[source]


_SHARED_JOB: dict[str, Any] = {}


def _process_range(start: int, end: int) -> _Partial:
    """Worker side of a parallel clean: the lines are inherited through fork, not pickled.

    The valid records go back packed into three flat buffers (line numbers,
    key hashes, clean lines): pickling a few bytes objects is far cheaper than
    pickling tens of thousands of tuples. Forked workers share the parent's
    hash seed, so the parent can compare the hashes.
    """
    source, lines = _SHARED_JOB["source"], _SHARED_JOB["lines"]
    part = cleaner_for(source).process(lines[start:end], start + 1)
    line_nos, keys, clean = zip(*part.valid) if part.valid else ((), (), ())
    part.valid = [array("q", line_nos).tobytes(), array("q", map(hash, keys)).tobytes(), b"\n".join(clean)]
    return part


def _unpack(part: _Partial) -> _Partial:
    line_buf, hash_buf, clean_buf = part.valid
    part.valid = list(zip(array("q", line_buf), array("q", hash_buf), clean_buf.split(b"\n"))) if clean_buf else []
    return part


def clean_source(source: str, lines: list[bytes], workers: int = 1) -> CleanResult:
    """Clean the raw lines of one source (pure: no I/O).

    With ``workers > 1`` the lines are parsed, repaired and validated in that
    many processes (this one and ``workers - 1`` forked children), in
    contiguous chunks; de-duplication then runs over the chunks in line order,
    so the result is identical to ``workers=1``.
    """
    cleaner = cleaner_for(source)
    if workers <= 1 or len(lines) < 2 * workers:
        return cleaner.clean(lines)
    # the parent takes a slightly smaller chunk: it also unpacks the results and de-duplicates
    own = int(len(lines) * 0.95 / workers)
    size = -(-(len(lines) - own) // (workers - 1))
    ranges = [(0, own)] + [(i, min(i + size, len(lines))) for i in range(own, len(lines), size)]
    _SHARED_JOB.update(source=source, lines=lines)
    gc.freeze()  # keep the parent's heap out of the children's collections: no copy-on-write storms
    pool = multiprocessing.get_context("fork").Pool(len(ranges) - 1)
    try:
        pending = [pool.apply_async(_process_range, r) for r in ranges[1:]]
        start, end = ranges[0]
        own = cleaner.process(lines[start:end], start + 1)  # the parent works too instead of waiting
        own.valid = [(line_no, hash(key), line) for line_no, key, line in own.valid]
        parts = [own] + [_unpack(result.get()) for result in pending]
    finally:
        pool.close()
        pool.join()
        gc.unfreeze()
        _SHARED_JOB.clear()
    return cleaner.finish(parts, hashed=True)


def validate_consent(document: Any) -> list[Reason]:
    """Reasons a consent artefact is not valid; empty when it is."""
    return validator_for("consent").errors(document)
