"""A narration as the rules read it, and pattern tables that match against it.

Banks print the same words in different shapes: ``ACH DEBIT RETURN CHARGES``,
``.ACHDEBITRETURNCHARGES`` (PDF extraction lost the spaces), ``NACH_AD_RTN_CHRG``.
So every pattern is matched one of two ways, chosen by its length: a pattern of
six or more letters anywhere in the *squashed* text (letters only), a shorter
one only as a whole word of the *spaced* text (letters and digits, one space
between words), because short patterns inside words are false friends (``LIC``
in ``POLICY``, ``RTN`` in ``PARTNER``). A leading ``~`` asks for the anywhere
match explicitly, a leading ``=`` the whole-word match for a long one (``REPAYMENT`` must not be found in
``FURNITUREPAYMENT``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_NON_ALPHA = re.compile(r"[^A-Z]+")
_DIGIT = re.compile(r"\d")
_LETTER_DIGIT = re.compile(r"(?<=[A-Z])(?=\d)|(?<=\d)(?=[A-Z])")
SUBSTRING_MIN = 6


@dataclass(frozen=True)
class Text:
    """The three views of one narration the matchers need."""
    upper: str
    spaced: str
    squashed: str


def read_text(narration: str | None) -> Text:
    """Upper-case the narration and build its spaced and squashed views."""
    upper = (narration or "").upper()
    return Text(upper, " " + _words(upper) + " ", _NON_ALPHA.sub("", upper))


def _words(upper: str) -> str:
    """Letters and digits as separate words ("SGST2024" -> "SGST 2024"), one space between words."""
    return _LETTER_DIGIT.sub(" ", _NON_ALNUM.sub(" ", upper)).strip()


def _squash(pattern: str) -> str:
    return _NON_ALPHA.sub("", pattern.upper())


class PatternTable:
    """Labels whose patterns occur in a narration.

    ``entries`` is a list of ``(label, pattern)``; :meth:`labels` returns every
    label with at least one pattern present, :meth:`first` the labels in the
    order their patterns appear in the narration (longest pattern first at a
    position), which is how the party a narration names is told from a bank it
    merely mentions.
    """

    def __init__(self, entries: list[tuple[str, str]]):
        words: dict[str, list[str]] = {}
        anywhere: dict[str, list[str]] = {}
        for label, pattern in entries:
            force, whole = pattern.startswith("~"), pattern.startswith("=")
            # digits fold to 9 as in the narration key (parties.party_key)
            spaced = _DIGIT.sub("9", _words(pattern.lstrip("~=").upper()))
            squashed = _squash(spaced)
            if force or (len(squashed) >= SUBSTRING_MIN and not whole):
                if squashed:
                    anywhere.setdefault(squashed, []).append(label)
            elif spaced:
                words.setdefault(spaced, []).append(label)
        self._words = words
        self._anywhere = anywhere
        self._word_re = self._compile(words, r"(?<= )(?:{})(?= )")
        self._any_re = self._compile(anywhere, "(?:{})")

    @staticmethod
    def _compile(table: dict[str, list[str]], template: str) -> re.Pattern | None:
        if not table:
            return None
        alternatives = "|".join(re.escape(p) for p in sorted(table, key=len, reverse=True))
        return re.compile(template.format(alternatives))

    def _hits(self, text: Text) -> list[tuple[int, str]]:
        hits: list[tuple[int, str]] = []
        if self._word_re is not None:
            # overlapping whole-word matches: restart one character after each match start
            pos = 0
            while True:
                m = self._word_re.search(text.spaced, pos)
                if not m:
                    break
                hits += [(m.start() / max(len(text.spaced), 1), lab) for lab in self._words[m.group(0)]]
                pos = m.start() + 1
        if self._any_re is not None:
            pos = 0
            while True:
                m = self._any_re.search(text.squashed, pos)
                if not m:
                    break
                hits += [(m.start() / max(len(text.squashed), 1), lab) for lab in self._anywhere[m.group(0)]]
                pos = m.start() + 1
        return hits

    def labels(self, text: Text) -> frozenset[str]:
        """Every label one of whose patterns occurs in ``text``."""
        return frozenset(label for _, label in self._hits(text))

    def first(self, text: Text) -> list[str]:
        """Labels present, in order of first appearance (relative position in the narration)."""
        seen: dict[str, float] = {}
        for where, label in self._hits(text):
            if label not in seen or where < seen[label]:
                seen[label] = where
        return sorted(seen, key=lambda lab: seen[lab])
