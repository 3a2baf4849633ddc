"""Page furniture removal for plain text that is really a scraped web page.

Works line by line from general signals — the shape of a line, its share of digits and
symbols, whether it reads like a sentence, where it sits — never from one site's strings.
Text in which nothing is recognised as furniture comes back unchanged, so offsets into a
clean input stay offsets into the caller's string.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BULLET = re.compile(r"^[\s•·●▪■◦*>|–—-]+")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)]*$|[\"”’»]$")
# Interface prompts a reader clicks rather than reads. The words are those of web pages in
# general (sharing, subscriptions, consent, text controls), not of any one site.
_UI_PROMPT = re.compile(
    r"\b(text|font) size\b|\bshare (this|on|via)\b|^share\b|\btweet\b|\bemail this\b|^print\b"
    r"|\bsubscribe\b|\bnewsletter\b|\bsign (up|in)\b|\blog ?in\b|\bcookies?\b|\baccept all\b"
    r"|\badvertisement\b|\bsponsored\b|\bread more\b|\brelated (articles|stories|news)\b"
    r"|\bfollow us\b|\bclick here\b|\ball rights reserved\b|\bcopyright\b|©|\bskip to\b"
    r"|\bmost read\b|\btrending\b|\bcomments?\s*\(\d+\)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"(^|[\s/|(])(photo|image|picture|illustration|credit|video|graphic)s?\s*(:|by\b)",
    re.IGNORECASE,
)
# A wire byline glued to the agency: "J.Smith--AFP", "ab/cd--XYZ".
_WIRE_BYLINE = re.compile(r"^\S{1,40}(--|—)[A-Z]{2,}[-—]*$")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:]\s+")

# Kinds that alone show the text is a scraped page. A lone number line is not one ("7 p.m."
# heading a live blog entry); a table of them is.
STRONG = {"ui", "credit", "byline", "title_repeat", "site_header"}
TABLE_RUN = 3


@dataclass
class CleanedText:
    text: str
    title: str | None
    removed_chars: int = 0
    removed_lines: dict[str, int] = field(default_factory=dict)


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _letter_share(line: str) -> float:
    chars = [c for c in line if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if unicodedata.category(c).startswith("L")) / len(chars)


def _norm(line: str) -> str:
    return " ".join(_words(line.casefold()))


def is_sentence_like(line: str) -> bool:
    """Five or more words, mostly letters, with lowercase words: prose, not furniture."""
    words = _words(line)
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= 5 and lower >= 2 and _letter_share(line) >= 0.6


def _is_headline_like(line: str) -> bool:
    words = _words(line)
    return 2 <= len(words) <= 25 and not line.rstrip().endswith((".", ":", ";", ","))


def _find_title(lines: list[str]) -> tuple[str | None, int | None, bool]:
    """The headline, the index of the line it came from, and whether that line is a site
    header ("Site name - Headline") rather than the headline alone."""
    first = next((i for i, l in enumerate(lines) if l.strip()), None)
    if first is None or not _is_headline_like(lines[first]):
        return None, None, False
    head = lines[first].strip()
    later = {_norm(l) for l in lines[first + 1 :] if l.strip()}
    parts = [p for p in _TITLE_SEPARATORS.split(head) if p.strip()]
    if len(parts) > 1:
        # The part that the page repeats is the headline; the other is the site's name.
        repeated = [p for p in parts if len(_words(p)) >= 3 and _norm(p) in later]
        if repeated:
            return max(repeated, key=len).strip(), first, True
    return head, first, False


def _classify(line: str, title_norm: str | None) -> str | None:
    s = _BULLET.sub("", line.strip())
    if not s:
        return "numeric"  # a bare bullet or dash
    norm = _norm(s)
    if title_norm and norm and (norm == title_norm or (norm.startswith(title_norm) and _CREDIT.search(s))):
        return "title_repeat"
    if _CREDIT.search(s) and len(_words(s)) <= 30:
        return "credit"
    if _WIRE_BYLINE.match(s):
        return "byline"
    if _letter_share(s) < 0.35 and len(_words(s)) <= 3:
        return "numeric"
    if _UI_PROMPT.search(s) and len(_words(s)) <= 8 and not _SENTENCE_END.search(s):
        return "ui"
    if len(_words(s)) <= 3 and not any(c.islower() for c in s) and not _SENTENCE_END.search(s):
        return "code"  # tickers, currency codes, all-caps stubs: weak alone
    return None


def _has_bare_number(lines: list[str], kinds: list[str | None]) -> bool:
    """A line of digits and symbols only ("+0.52%", "12,345"): no prose looks like that.
    Lines with a word in them ("7 p.m.") can head a live-blog entry and prove nothing."""
    return any(
        kind == "numeric" and any(c.isdigit() for c in line) and not any(c.isalpha() for c in line)
        for line, kind in zip(lines, kinds)
    )


def _has_table(kinds: list[str | None]) -> bool:
    """A run of TABLE_RUN or more number or code lines, blank lines aside."""
    run = 0
    for kind in kinds:
        if kind == "":
            continue
        run = run + 1 if kind in {"numeric", "code"} else 0
        if run >= TABLE_RUN:
            return True
    return False


def _by_context(lines: list[str], kinds: list[str | None]) -> None:
    """Short non-sentence lines wedged between furniture are table cells or labels."""
    idx = [i for i, l in enumerate(lines) if l.strip()]
    for pos, i in enumerate(idx):
        if kinds[i] is not None or is_sentence_like(lines[i]) or len(_words(lines[i])) > 4:
            continue
        before = kinds[idx[pos - 1]] if pos > 0 else "edge"
        after = kinds[idx[pos + 1]] if pos + 1 < len(idx) else "edge"
        if before is not None and after is not None:
            kinds[i] = "table_cell"


def _trailing(lines: list[str], kinds: list[str | None]) -> None:
    """Short non-sentence lines after the story's last sentence are sign-offs and credits."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].strip()
        if not line:
            continue
        if is_sentence_like(line) or _SENTENCE_END.search(line) or len(_words(line)) > 4:
            break
        kinds[i] = kinds[i] or "trailing"


def remove_furniture(text: str) -> CleanedText:
    lines = text.split("\n")
    title, title_idx, site_header = _find_title(lines)
    title_norm = _norm(title) if title else None
    kinds: list[str | None] = [None if l.strip() else "" for l in lines]
    for i, line in enumerate(lines):
        if kinds[i] == "" or i == title_idx:
            continue
        kinds[i] = _classify(line, title_norm)
    if title_idx is not None:
        kinds[title_idx] = "site_header" if site_header else "title_line"
    if not any(k in STRONG for k in kinds) and not _has_table(kinds) and not _has_bare_number(lines, kinds):
        # No strong evidence of a scraped page: clean text passes through unchanged.
        return CleanedText(text=text, title=title)
    _by_context(lines, kinds)
    _trailing(lines, kinds)
    return _assemble(lines, kinds, title, len(text))


def _assemble(lines: list[str], kinds: list[str | None], title: str | None, original_len: int) -> CleanedText:
    paragraphs: list[list[str]] = [[]]
    removed: dict[str, int] = {}
    for line, kind in zip(lines, kinds):
        if kind is None:
            paragraphs[-1].append(line.strip())
            continue
        if kind:
            removed[kind] = removed.get(kind, 0) + 1
        if paragraphs[-1]:
            paragraphs.append([])
    body = "\n\n".join("\n".join(p) for p in paragraphs if p)
    return CleanedText(text=body, title=title, removed_chars=original_len - len(body), removed_lines=removed)
