"""Speaker mention -> entity: names through the entity clusters, pronouns to the nearest
compatible person (gender from the article's own evidence), descriptors to the person
they were attached to, continuations to the speaker the context gives.

Heuristics on the parse, no coreference model: the maintained ones are not offline or
pin an old spaCy.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict

from spacy.tokens import Doc, Token

from ..components.entity_clusters import EntityCluster
from ..entities.names import clean_surface, name_key
from .cues import RELATIVE_PRONOUNS, noun_phrase, subject_of
from .marks import Paragraphs
from .model import FoundQuote, SpeakerRef

MALE = frozenset("he him his himself".split())
FEMALE = frozenset("she her hers herself".split())
MALE_TITLES = frozenset("mr mr. sir lord king prince".split())
FEMALE_TITLES = frozenset("mrs mrs. ms ms. miss dame lady queen princess".split())
INDEFINITE = frozenset("another a an one".split())
# Descriptions too common to pin a person by ("the official" can be anyone).
GENERIC_DESCRIPTIONS = frozenset("man woman official person spokesman spokeswoman source".split())
# How far back a continuation may take its speaker from an earlier quote.
CONTINUATION_PARAGRAPHS = 2


class SpeakerResolver:
    def __init__(self, doc: Doc, entities: list[EntityCluster], quotes: list[FoundQuote]) -> None:
        self.doc = doc
        self.entities = entities
        self.quoted = sorted((s, e) for q in quotes if q.kind == "direct" for s, e in q.segments)
        self.by_token: dict[int, EntityCluster] = {}
        for ent in entities:
            for m in ent.mentions:
                for i in range(m.start, m.end):
                    self.by_token[i] = ent
        self.person_mentions = sorted(
            (m.start_char, m.start, ent)
            for ent in entities if ent.label == "PERSON"
            for m in ent.mentions if not self._in_quote(m.start_char)
        )
        self._starts = [m[0] for m in self.person_mentions]
        self.gender = self._gender_evidence()
        self.paragraphs = Paragraphs(doc.text)

    # -- evidence ---------------------------------------------------------------------
    def _in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self.quoted, (offset, float("inf"))) - 1
        return i >= 0 and self.quoted[i][0] <= offset < self.quoted[i][1]

    def _gender_evidence(self) -> dict[str, str]:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for start, tok_i, ent in self.person_mentions:
            if tok_i > 0 and self.doc[tok_i - 1].lower_ in MALE_TITLES:
                votes[ent.id]["m"] += 3
            elif tok_i > 0 and self.doc[tok_i - 1].lower_ in FEMALE_TITLES:
                votes[ent.id]["f"] += 3
        for tok in self.doc:
            g = "m" if tok.lower_ in MALE else "f" if tok.lower_ in FEMALE else None
            if g is None or self._in_quote(tok.idx):
                continue
            window_start = self._previous_sentence_start(tok)
            ent = self._last_person_before(tok.idx, window_start)
            if ent is not None:
                votes[ent.id][g] += 1
        return {eid: c.most_common(1)[0][0] for eid, c in votes.items() if c}

    def _previous_sentence_start(self, tok: Token) -> int:
        sent = tok.sent
        return self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char

    def _last_person_before(self, offset: int, not_before: int = 0, gender: str | None = None) -> EntityCluster | None:
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0 and self.person_mentions[i][0] >= not_before:
            ent = self.person_mentions[i][2]
            if gender is None or self.gender.get(ent.id, gender) == gender:
                return ent
            i -= 1
        return None

    def paragraph(self, offset: int) -> int:
        return self.paragraphs.index(offset)

    # -- resolution -------------------------------------------------------------------
    def resolve(self, ref: SpeakerRef) -> None:
        head = self.doc[ref.head]
        ent, how = self._resolve_token(head, ref)
        if ent is not None:
            ref.entity, ref.name, ref.resolution = ent.id, ent.name, how
        else:
            ref.name, ref.resolution = clean_surface(ref.core or ref.text), "unresolved"

    def _resolve_token(self, head: Token, ref: SpeakerRef) -> tuple[EntityCluster | None, str]:
        ent = self._named(head)
        if ent is not None:
            core = name_key(ref.core or ref.text)
            same = core == name_key(ent.name) or name_key(ent.name) in core
            return ent, "name" if same else "alias"
        low = head.lower_
        if low in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            antecedent = head.head.head
            found = self._named(antecedent)
            return (found, "pronoun") if found else (None, "unresolved")
        if low in MALE or low in FEMALE:
            gender = "m" if low in MALE else "f"
            return self._last_person_before(head.idx, 0, gender), "pronoun"
        if low == "it":
            return self._last_org_before(head), "pronoun"
        if head.pos_ in {"NOUN", "ADJ", "NUM"} and head.tag_ not in {"NNS", "NNPS"}:
            return self._descriptor(head), "descriptor"
        return None, "unresolved"

    def _named(self, head: Token) -> EntityCluster | None:
        """An entity the mention is, contains, or stands in apposition with."""
        np = noun_phrase(head)
        for i in [head.i] + list(range(np.start, np.end)):
            if i in self.by_token and self.by_token[i].label in {"PERSON", "ORG", "GPE", "NORP"}:
                return self.by_token[i]
        for child in head.children:
            if child.dep_ == "appos":
                for t in child.subtree:
                    if t.i in self.by_token and self.by_token[t.i].label == "PERSON":
                        return self.by_token[t.i]
        if head.dep_ == "appos" and head.head.i in self.by_token:
            return self.by_token[head.head.i]
        return None

    def _last_org_before(self, tok: Token) -> EntityCluster | None:
        start = self._previous_sentence_start(tok)
        for i in range(tok.i - 1, -1, -1):
            t = self.doc[i]
            if t.idx < start:
                break
            if i in self.by_token and self.by_token[i].label == "ORG":
                return self.by_token[i]
        return None

    def _descriptor(self, head: Token) -> EntityCluster | None:
        """ "the 26-year-old", "another deserter", "the road worker" """
        np = noun_phrase(head)
        det = np[0].lower_ if np[0].dep_ == "det" else ""
        description = np[1:].text if det else np.text
        attached = self._attached(description.lower(), head.idx)
        if attached is not None:
            return attached
        if det in INDEFINITE:  # cataphora: "Another deserter said …" then the name
            return self._next_person_after(head)
        return self._last_person_before(head.idx)

    def _attached(self, description: str, before: int) -> EntityCluster | None:
        """The person this description was used with earlier, in one sentence:
        "26-year-old Lena Park", "Alexander, a 26-year-old soldier"."""
        if not description or description in GENERIC_DESCRIPTIONS:
            return None
        for start, tok_i, ent in reversed(self.person_mentions):
            if start >= before:
                continue
            sent = self.doc[tok_i].sent
            if description in sent.text.lower():
                nearest = self._last_person_before(sent.end_char, sent.start_char)
                if nearest is ent:
                    return ent
        return None

    def _next_person_after(self, head: Token) -> EntityCluster | None:
        sent = head.sent
        limit = self.doc[min(sent.end + 1, len(self.doc) - 1)].sent.end_char
        i = bisect.bisect_right(self._starts, head.idx)
        if i < len(self.person_mentions) and self.person_mentions[i][0] < limit:
            return self.person_mentions[i][2]
        return None

    def continuation(self, quote: FoundQuote, earlier: list[FoundQuote]) -> None:
        """A quote with no cue: the quote before it in its paragraph, else the person the
        sentence before it is about, else a quote in the paragraphs just before."""
        para = self.paragraph(quote.start)
        attributed = [q for q in earlier if q.speaker is not None]
        same_para = [q for q in attributed if self.paragraph(q.start) == para]
        source = same_para[-1].speaker if same_para else None
        if source is None:
            source = self._previous_sentence_subject(quote)
        if source is None and attributed:
            last = attributed[-1]
            if para - self.paragraph(last.start) <= CONTINUATION_PARAGRAPHS:
                source = last.speaker
        if source is None:
            return
        quote.speaker = SpeakerRef(start=source.start, end=source.end, text=source.text, head=source.head,
                                   core=source.core, entity=source.entity, name=source.name,
                                   resolution="continuation")

    def _previous_sentence_subject(self, quote: FoundQuote) -> SpeakerRef | None:
        span = self.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None or span.start == 0:
            return None
        first = span[0].sent
        if first.start == 0:
            return None
        prev = self.doc[first.start - 1].sent
        if self.paragraph(prev.start_char) != self.paragraph(quote.start):
            return None
        subj = subject_of(prev.root)
        if subj is None:
            return None
        np = noun_phrase(subj)
        ref = SpeakerRef(start=np.start_char, end=np.end_char, text=np.text, head=subj.i, core=np.text)
        self.resolve(ref)
        return ref if ref.entity and self._is_person(ref.entity) else None

    def _is_person(self, entity_id: str) -> bool:
        return any(e.id == entity_id and e.label == "PERSON" for e in self.entities)


def resolve_speakers(doc: Doc, entities: list[EntityCluster], quotes: list[FoundQuote]) -> None:
    resolver = SpeakerResolver(doc, entities, quotes)
    done: list[FoundQuote] = []
    for quote in quotes:
        if quote.speaker is not None:
            resolver.resolve(quote.speaker)
        elif quote.continuation:
            resolver.continuation(quote, done)
        done.append(quote)
