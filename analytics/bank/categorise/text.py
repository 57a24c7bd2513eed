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


def trie_pattern(words) -> str:
    """A regex (source) matching any of ``words`` (literal text), the longest one first where several start at
    one position: the words as a trie of nested groups, each complete word an optional longer continuation tried
    first. The regex engine then reads a text once per position instead of trying every word in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


def _longest_at_each_position(patterns) -> re.Pattern:
    """A regex whose matches are, at every position of a text where one of ``patterns`` starts, the longest
    such pattern (group 1), inside a look-ahead so that matches may overlap."""
    return re.compile(f"(?=({trie_pattern(patterns)}))")


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
        # multi-word patterns by first word: most words start none, and need one look-up only
        self._longest: dict[str, int] = {}
        for p in words:
            first = p.split()[0]
            self._longest[first] = max(self._longest.get(first, 0), len(p.split()))
        # patterns found anywhere: one regex over the squashed text finds, at every position, the longest
        self._scan = _longest_at_each_position(anywhere) if anywhere else None

    def _hits(self, text: Text) -> list[tuple[float, str]]:
        """(relative position, label) of every match; at one position only the longest pattern counts, so
        ``CASH PAID SELF`` is a self cheque and not also ``CASH PAID``."""
        hits: list[tuple[float, str]] = []
        if self._words:
            tokens = text.spaced.split()
            n_tokens = len(tokens)
            longest, words = self._longest, self._words
            for i, token in enumerate(tokens):
                most = longest.get(token)
                if most is None:
                    continue
                for n in range(min(most, n_tokens - i), 0, -1):
                    labels = words.get(" ".join(tokens[i:i + n]) if n > 1 else token)
                    if labels:
                        hits += [(i / n_tokens, lab) for lab in labels]
                        break
        if self._scan is not None:
            size, anywhere = max(len(text.squashed), 1), self._anywhere
            for found in self._scan.finditer(text.squashed):
                hits += [(found.start() / size, lab) for lab in anywhere[found.group(1)]]
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
