"""Lake URLs: the object-store lake a root names (``s3://bucket/prefix``), checked before anything is touched.

Apart from :mod:`pipeline.remote_lake` so that :mod:`pipeline.config` can check a root without the object-store
client and without importing the staging of working copies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lake import LakeError

SCHEMES = ("s3",)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/]*)(?:/(.*))?$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._=-]{0,254}$")  # no leading dot: no '.', '..' or hidden names


class RemoteLakeError(LakeError):
    """The object-store lake cannot be used as asked; the message says why."""


@dataclass(frozen=True)
class LakeURL:
    """An object-store lake root: scheme, bucket and key prefix (may be empty)."""

    scheme: str
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        """The normalised URL, ``s3://bucket/prefix`` without a trailing slash."""
        return f"{self.scheme}://{self.bucket}" + (f"/{self.prefix}" if self.prefix else "")

    @property
    def base(self) -> str:
        """``bucket/prefix``: what fsspec calls the path of the lake root."""
        return f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket


def parse_lake_url(text: str) -> LakeURL:
    """Check and normalise a lake URL; raise :class:`RemoteLakeError` for any scheme but ``s3`` or a bad name.

    The prefix is checked segment by segment (no ``..``, no empty segment) so
    a URL can never reach outside the prefix the operator named.
    """
    match = _URL.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise RemoteLakeError(f"invalid lake URL {text!r}: expected s3://bucket/prefix")
    scheme, bucket, rest = match.group(1).lower(), match.group(2), match.group(3) or ""
    if scheme not in SCHEMES:
        raise RemoteLakeError(f"unsupported lake URL {text!r}: an object-store lake must be s3://bucket/prefix")
    if not _BUCKET.fullmatch(bucket):
        raise RemoteLakeError(f"invalid bucket name {bucket!r} in lake URL {text!r}")
    segments = rest.rstrip("/").split("/") if rest.rstrip("/") else []
    bad = [s for s in segments if not _SEGMENT.fullmatch(s)]
    if bad:
        raise RemoteLakeError(f"invalid prefix segment {bad[0]!r} in lake URL {text!r}")
    return LakeURL(scheme, bucket, "/".join(segments))
