"""The one error every AA step raises: a refusal with a cause to record, show and audit."""
from __future__ import annotations


class AAError(Exception):
    """A refusal with a cause a caller can record and show: ``code`` names it, the message explains it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
