"""Quotation marks -> quoted passages, from the characters alone.

Handles straight and curly double marks, guillemets, and single marks used as quotes;
multi-paragraph quotes where each paragraph reopens the mark and only the last closes;
and unbalanced marks, which never raise: a stray mark is ignored, an unclosed quote ends
with its paragraph when it is long enough to be speech.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .model import Segmented

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
STRAIGHT_DOUBLE = '"'
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
STRAIGHT_SINGLE = "'"
DOUBLE_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + STRAIGHT_DOUBLE
ALL_MARKS = DOUBLE_MARKS + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_SINGLE
# An unclosed quote is kept (to the end of its paragraph) only when it is this long.
MIN_WORDS_UNCLOSED = 8
_WORD = re.compile(r"\w+")
_OPEN_CONTEXT = set(" \t\n([{—–-/:;,") | set(DOUBLE_OPEN)


@dataclass
class QuotedPassage(Segmented):
    """Text inside quotation marks; ``segments`` are (start, end) of the content, one per
    paragraph the quote runs over, and ``outer`` spans the marks too."""

    segments: list[tuple[int, int]] = field(default_factory=list)
    outer: tuple[int, int] = (0, 0)
    closed: bool = True
    double: bool = True

    def content(self, text: str) -> str:
        return " ".join(text[s:e].strip() for s, e in self.segments)


class Paragraphs:
    """Where each line of a text starts: which paragraph an offset is in, and where the
    next one begins. Shared by quote finding and speaker resolution."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.length = len(text)

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def end(self, offset: int) -> int:
        """The start of the paragraph after the one holding ``offset``, or the text's end."""
        n = self.index(offset) + 1
        return self.starts[n] if n < len(self.starts) else self.length


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _can_open(text: str, i: int) -> bool:
    if text[i] == "«":
        return True  # French typography puts a space inside guillemets
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPEN_CONTEXT or before.isspace()) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    if text[i] == "»":
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _starts_with_open(text: str, start: int, end: int) -> int | None:
    j = start
    while j < end and text[j].isspace():
        j += 1
    if j < end and text[j] in DOUBLE_OPEN + STRAIGHT_DOUBLE and _can_open(text, j):
        return j
    return None


def find_double_quotes(text: str) -> list[QuotedPassage]:
    passages: list[QuotedPassage] = []
    current: QuotedPassage | None = None
    seg_start = 0
    lines = _lines(text)
    for n, (lstart, lend) in enumerate(lines):
        i = lstart
        if current is not None:  # a quote that ran on from the last paragraph reopens here
            j = _starts_with_open(text, lstart, lend)
            seg_start = j + 1 if j is not None else lstart
            i = seg_start
        while i < lend:
            ch = text[i]
            if ch in DOUBLE_MARKS:
                if current is None:
                    if ch not in DOUBLE_CLOSE and _can_open(text, i):
                        current = QuotedPassage(outer=(i, i), double=True)
                        seg_start = i + 1
                elif ch not in DOUBLE_OPEN and _can_close(text, i):
                    current.segments.append((seg_start, i))
                    current.outer = (current.outer[0], i + 1)
                    passages.append(current)
                    current = None
                elif _can_open(text, i) and not _can_close(text, i):
                    # An opening where a closing was due: the earlier mark was stray.
                    current = QuotedPassage(outer=(i, i), double=True)
                    seg_start = i + 1
            i += 1
        if current is not None:
            nxt = next(((s, e) for s, e in lines[n + 1 :] if text[s:e].strip()), None)
            if nxt is not None and _starts_with_open(text, *nxt) is not None and current.segments is not None:
                current.segments.append((seg_start, lend))  # multi-paragraph quote goes on
                continue
            if len(_WORD.findall(text[seg_start:lend])) >= MIN_WORDS_UNCLOSED:
                current.segments.append((seg_start, lend))
                current.outer = (current.outer[0], lend)
                current.closed = False
                passages.append(current)
            current = None
    return [_trimmed(p, text) for p in passages if any(e > s for s, e in p.segments)]


def find_single_quotes(text: str, taken: list[tuple[int, int]]) -> list[QuotedPassage]:
    """Single marks as quotes ('Lived in fear', ‘always’), outside double-quoted passages,
    within one paragraph. Apostrophes (don't, Russia's, players') are told apart by
    context: an opening follows a space or bracket, a closing precedes one."""
    found = []
    for lstart, lend in _lines(text):
        open_at = None
        for i in range(lstart, lend):
            ch = text[i]
            if ch not in SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_SINGLE:
                continue
            if any(s <= i < e for s, e in taken):
                continue
            if open_at is None:
                if ch != "’" and ch not in SINGLE_CLOSE[1:] and _can_open(text, i) and text[i + 1 : i + 2].isalnum():
                    open_at = i
            elif ch not in SINGLE_OPEN and _closes_single(text, i):
                found.append(QuotedPassage(segments=[(open_at + 1, i)], outer=(open_at, i + 1), double=False))
                open_at = None
    return [_trimmed(p, text) for p in found]


def _closes_single(text: str, i: int) -> bool:
    """A closing single mark, not a plural possessive ("the players' union")."""
    if not _can_close(text, i):
        return False
    return text[i - 1] != "s" or not text[i + 1 : i + 3].strip()[:1].islower()


def _trimmed(p: QuotedPassage, text: str) -> QuotedPassage:
    segs = []
    for s, e in p.segments:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            segs.append((s, e))
    p.segments = segs or p.segments
    return p


def find_quoted_passages(text: str) -> list[QuotedPassage]:
    doubles = find_double_quotes(text)
    singles = find_single_quotes(text, [p.outer for p in doubles])
    return sorted(doubles + singles, key=lambda p: p.outer[0])
