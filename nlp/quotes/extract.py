"""Doc -> quotes: direct (in marks), mixed (reported speech holding quoted words) and
indirect (reported speech), each with its cue and its speaker mention as written.

Direct quotes are attributed in this order: a cue after the closing mark ("…," Smith
said), a cue before the opening mark (Smith said: "…"), a dash (… — Commissioner Starks),
a reporting verb whose clause holds the quote; a quote with none of these is a
continuation, whose speaker the ``speakers`` component takes from the context.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from .cues import (
    DASHES, clause_span, content_head, is_evaluative_verb, is_passive, is_reporting_verb,
    mention_span, noun_phrase, parenthetical_host, prepositional_content, subject_of,
)
from .marks import Paragraphs, QuotedPassage, find_quoted_passages
from .model import FoundQuote, SpeakerRef

_WORD = re.compile(r"\w+")
_END_PUNCT = ",.!?…:;—–-"
AFTER_CUE_WINDOW = 12
BEFORE_CUE_WINDOW = 15
MIN_CONTENT_TOKENS = 3


class _Context:
    """The doc with its quoted passages and paragraph starts, for quick look-ups."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.passages = find_quoted_passages(self.text)
        self.paragraphs = Paragraphs(self.text)

    def tokens(self, start: int, end: int) -> Span:
        return self.doc.char_span(start, end, alignment_mode="expand")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_speech(p: QuotedPassage, text: str) -> bool:
    """Speech rather than a scare quote, a title or a nickname: long enough to be a
    statement, or ending with its own punctuation where a statement can start (not
    'called her a "spoiled brat."')."""
    content = p.content(text).rstrip()
    words = _words(content)
    if words >= 8:
        return True
    return words >= 2 and content[-1:] in _END_PUNCT and _at_clause_start(text, p.outer[0])


_CLAUSE_START = re.compile(r"(^|[.!?:;,—–(\[]|\b(said|says|say|told|added|asked|wrote|tweeted))\s*$", re.IGNORECASE)


def _at_clause_start(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return bool(_CLAUSE_START.search(text[max(line_start, offset - 40) : offset]))


def _speaker(token: Token | None) -> SpeakerRef | None:
    if token is None:
        return None
    full, np = mention_span(token), noun_phrase(token)
    return SpeakerRef(start=full.start_char, end=full.end_char, text=full.text, head=token.i, core=np.text)


def _inside(token: Token, start: int, end: int) -> bool:
    return start <= token.idx < end


def _speaker_token(verb: Token, q_start: int, q_end: int) -> Token | None:
    subj = subject_of(verb)
    if subj is not None and not _inside(subj, q_start, q_end) and not _is_time(subj):
        return subj
    for child in verb.rights:  # "said the 26-year-old", parsed with the speaker as object
        if child.pos_ in {"PROPN", "NOUN", "PRON"} and not _inside(child, q_start, q_end) and not _is_time(child):
            return child
    return None


def _is_time(token: Token) -> bool:
    # en_core_web_sm tags ages ("the 26-year-old") as DATE: those are people.
    return token.ent_type_ in {"DATE", "TIME"} and token.lower_ != "old"


def _cue_after(ctx: _Context, p: QuotedPassage, stop: int) -> Token | None:
    doc = ctx.doc
    span = ctx.tokens(*p.outer)
    for j in range(span.end, min(len(doc), span.end + AFTER_CUE_WINDOW)):
        t = doc[j]
        if t.idx >= stop or "\n" in t.text:
            break
        if is_reporting_verb(t) and not is_passive(t):
            own = content_head(t)
            if own is not None and own.i > t.i:
                return None  # "He said he …": a new statement, not this quote's cue
            return t
        if t.text in {".", "!", "?"} and j > span.end:
            break
    return None


def _cue_before(ctx: _Context, p: QuotedPassage, stop: int) -> Token | None:
    doc = ctx.doc
    span = ctx.tokens(*p.outer)
    j = span.start - 1
    while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
        j -= 1
    if j < 0 or "\n" in doc[j].text:
        return None
    if doc[j].text not in {":", ","} and not is_reporting_verb(doc[j]):
        return None
    for k in range(j, max(-1, j - BEFORE_CUE_WINDOW), -1):
        t = doc[k]
        if t.idx < stop or "\n" in t.text or t.text in {".", "!", "?"}:
            break
        if is_reporting_verb(t) and not is_passive(t):
            return t
    return None


def _dash_speaker(ctx: _Context, p: QuotedPassage) -> tuple[Token, Token] | None:
    """ "…" — Commissioner Starks """
    doc = ctx.doc
    span = ctx.tokens(*p.outer)
    j = span.end
    while j < len(doc) and doc[j].is_space and "\n" not in doc[j].text:
        j += 1
    if j + 1 >= len(doc) or doc[j].text[:1] not in DASHES:
        return None
    names = [t for t in doc[j + 1 : min(len(doc), j + 6)] if t.pos_ == "PROPN" and "\n" not in t.text]
    if not names:
        return None
    head = names[-1]
    while head.head.i in range(j + 1, j + 6) and head.head.pos_ == "PROPN" and head.head.i != head.i:
        head = head.head
    return doc[j], head


def _governing_verb(ctx: _Context, p: QuotedPassage) -> Token | None:
    """A reporting verb outside the quote whose clause holds it: He said "…" and left."""
    span = ctx.tokens(*p.outer)
    for ancestor in span.root.ancestors:
        if _inside(ancestor, *p.outer):
            continue
        if is_reporting_verb(ancestor) and not is_passive(ancestor):
            return ancestor
    return None


def _direct(ctx: _Context, p: QuotedPassage, nxt: QuotedPassage | None, prev_end: int) -> tuple[FoundQuote, bool]:
    """The quote for one speech passage, and whether it swallowed the next passage
    (a split quote: "We will appeal," she said, "and we expect to win.")."""
    text = ctx.text
    para_end = ctx.paragraphs.end(p.end)
    stop = min(nxt.outer[0], para_end) if nxt else para_end
    quote = FoundQuote(kind="direct", segments=list(p.segments), text=p.content(text))
    verb = _cue_after(ctx, p, stop) or _cue_before(ctx, p, prev_end)
    dash = None if verb else _dash_speaker(ctx, p)
    verb = verb or (None if dash else _governing_verb(ctx, p))
    if verb is not None:
        quote.cue = (verb.idx, verb.idx + len(verb.text))
        quote.speaker = _speaker(_speaker_token(verb, *p.outer))
    elif dash is not None:
        quote.cue = (dash[0].idx, dash[0].idx + len(dash[0].text))
        quote.speaker = _speaker(dash[1])
    quote.continuation = quote.speaker is None
    quote.confidence = 0.9 if quote.speaker else 0.7
    merged = False
    if verb is not None and nxt is not None and nxt.outer[0] < para_end and verb.idx > p.end:
        between = text[p.outer[1] : nxt.outer[0]]
        if between.rstrip().endswith(",") and not re.search(r"[.!?]", between) and verb.idx < nxt.outer[0]:
            quote.segments += nxt.segments
            quote.text = f"{quote.text} {nxt.content(text)}"
            merged = True
    return quote, merged


def _direct_quotes(ctx: _Context) -> tuple[list[FoundQuote], list[QuotedPassage]]:
    """Speech passages become direct quotes; the rest are fragments, for mixed quotes."""
    quotes, fragments = [], []
    passages = ctx.passages
    skip, prev_end = False, 0
    for n, p in enumerate(passages):
        if skip:
            skip = False
            prev_end = p.outer[1]
            continue
        if not is_speech(p, ctx.text) and not _british_speech(ctx, p):
            fragments.append(p)
            continue
        nxt = passages[n + 1] if n + 1 < len(passages) else None
        quote, skip = _direct(ctx, p, nxt, prev_end)
        quotes.append(quote)
        prev_end = p.outer[1]
    return quotes, fragments


def _british_speech(ctx: _Context, p: QuotedPassage) -> bool:
    """'We will win', he said: punctuation outside the marks, a cue right after."""
    if _words(p.content(ctx.text)) < 3:
        return False
    rest = ctx.text[p.outer[1] : p.outer[1] + 40]
    return bool(re.match(r"\s*[,:]", rest)) and _cue_after(ctx, p, p.outer[1] + 40) is not None


def _reported(ctx: _Context, direct: list[FoundQuote], fragments: list[QuotedPassage]) -> list[FoundQuote]:
    """Reported speech: a reporting verb with a clausal complement, or an evaluative verb
    whose object holds quoted words."""
    doc, found = ctx.doc, []
    inside_direct = [(q.start, q.end) for q in direct]
    for t in doc:
        if any(s <= t.idx < e for s, e in inside_direct) or is_passive(t):
            continue
        spans = _reported_content(t, fragments)
        if not spans or sum(1 for sp in spans for x in sp if not x.is_punct) < MIN_CONTENT_TOKENS:
            continue
        if any(s < sp.end_char and sp.start_char < e for sp in spans for s, e in inside_direct):
            continue  # the clause is a direct quote already attributed
        subj = subject_of(t)
        if subj is None or _is_time(subj) or any(s <= subj.idx < e for s, e in inside_direct):
            continue
        frags = [f for f in fragments for sp in spans if sp.start_char <= f.outer[0] and f.outer[1] <= sp.end_char]
        found.append(FoundQuote(
            kind="mixed" if frags else "indirect",
            segments=[(sp.start_char, sp.end_char) for sp in spans],
            text=" ".join(sp.text for sp in spans),
            cue=(t.idx, t.idx + len(t.text)),
            speaker=_speaker(subj),
            confidence=0.8 if frags else 0.75,
        ))
    return found + _according_to(ctx, inside_direct)


def _reported_content(verb: Token, fragments: list[QuotedPassage]) -> list[Span]:
    """What a verb reports, as one span or, around a parenthetical cue, two."""
    if is_reporting_verb(verb):
        head = content_head(verb)
        if head is not None:
            return [clause_span(head)]
        host = parenthetical_host(verb)
        if host is not None:
            doc = verb.doc
            lo, hi = verb.left_edge.i, verb.right_edge.i + 1
            parts = [_strip_punct(doc[host.left_edge.i : lo]), _strip_punct(doc[hi : host.right_edge.i + 1])]
            return [p for p in parts if len(p) > 0]
    prepositional = prepositional_content(verb)
    if prepositional is not None:
        return [_strip_punct(prepositional)]
    if is_evaluative_verb(verb):
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            span = clause_span(obj)
            if any(span.start_char <= f.outer[0] and f.outer[1] <= span.end_char for f in fragments):
                return [span]
    return []


def _according_to(ctx: _Context, taken: list[tuple[int, int]]) -> list[FoundQuote]:
    doc, found = ctx.doc, []
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
        if pobj is None or any(s <= t.idx < e for s, e in taken):
            continue
        sent = t.sent
        phrase_start, phrase_end = t.i, pobj.right_edge.i + 1
        before = _strip_punct(doc[sent.start : phrase_start])
        after = _strip_punct(doc[phrase_end : sent.end])
        segments = [(s.start_char, s.end_char) for s in (before, after) if len(s) >= MIN_CONTENT_TOKENS]
        if not segments:
            continue
        found.append(FoundQuote(
            kind="indirect",
            segments=segments,
            text=" ".join(ctx.text[s:e] for s, e in segments),
            cue=(t.idx, doc[t.i + 1].idx + 2),
            speaker=_speaker(pobj),
            confidence=0.8,
        ))
    return found


def _strip_punct(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in "\"”’?!" or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _overlap(a: FoundQuote, b: FoundQuote) -> float:
    inter = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.segments for s2, e2 in b.segments)
    smaller = min(sum(e - s for s, e in a.segments), sum(e - s for s, e in b.segments)) or 1
    return inter / smaller


def find_quotes(doc: Doc) -> list[FoundQuote]:
    ctx = _Context(doc)
    direct, fragments = _direct_quotes(ctx)
    quotes = list(direct)
    for q in _reported(ctx, direct, fragments):
        if all(_overlap(q, kept) < 0.5 for kept in quotes):
            quotes.append(q)
    quotes.sort(key=lambda q: q.start)
    for i, q in enumerate(quotes, start=1):
        q.id = f"Q{i}"
    return quotes
