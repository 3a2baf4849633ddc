"""``entity_clusters``: NER mentions -> one entity per referent, within one article.

Steps, each a small function:
  1. keep the labels asked for and trim articles, possessives and punctuation off spans;
  2. propagate: a name tagged once is the same entity wherever else it stands untagged;
  3. group mentions whose names meet (case, accents, hyphens, possessives);
  4. merge surnames, first names and titles into the full name, acronyms into the name;
  5. vote on the type (NER labels + context + gazetteer), pick the fullest name, score salience.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..entities.names import acronym, clean_surface, is_acronym, name_key, name_tokens
from ..entities.types import context_votes, gazetteer_votes

KEPT_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
# Position weights for salience: a mention in the headline or the lede says more about
# what the article is about than one in the tenth paragraph.
TITLE_WEIGHT = 2.0
LEDE_WEIGHT = 1.0
LEDE_MAX_CHARS = 600
_TRIM_START = {"the", "a", "an"}
_TRIM_END = {"'s", "’s", "'", "’"}


@dataclass
class EntityCluster:
    id: str
    label: str
    name: str
    salience: float
    mentions: list[Span] = field(default_factory=list)


@dataclass
class _Group:
    key: str
    spans: list[Span]

    @cached_property
    def tokens(self) -> list[str]:
        return max((name_tokens(s.text) for s in self.spans), key=len)

    def has_label(self, label: str) -> bool:
        return any(s.label_ == label for s in self.spans)

    @property
    def first(self) -> int:
        return min(s.start_char for s in self.spans)


@Language.factory(
    "entity_clusters",
    assigns=["doc._.entities", "doc.ents"],
    requires=["doc.ents"],
    default_config={"labels": list(KEPT_LABELS), "propagate": True, "use_gazetteer": True},
)
def make_entity_clusters(nlp: Language, name: str, labels: list[str], propagate: bool, use_gazetteer: bool):
    return EntityClusters(labels=labels, propagate=propagate, use_gazetteer=use_gazetteer)


class EntityClusters:
    def __init__(self, labels: Iterable[str] = KEPT_LABELS, propagate: bool = True, use_gazetteer: bool = True):
        self.labels = set(labels)
        self.propagate = propagate
        self.use_gazetteer = use_gazetteer

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for s in (_trim(e) for e in doc.ents if e.label_ in self.labels) if s is not None]
        if self.propagate:
            spans = _propagate(doc, spans)
        groups = _group(spans)
        groups = _merge_acronyms(groups)
        clusters = _merge_name_parts(groups)
        entities = [self._entity(spans) for spans in clusters]
        _score_salience(doc, entities)
        entities.sort(key=lambda e: e.mentions[0].start_char)
        for i, ent in enumerate(entities, start=1):
            ent.id = f"E{i}"
        _set_doc_ents(doc, entities, self.labels)
        doc._.entities = entities
        return doc

    def _entity(self, spans: list[Span]) -> EntityCluster:
        spans = sorted(spans, key=lambda s: s.start_char)
        votes: Counter[str] = Counter()
        for s in spans:
            votes[s.label_] += 1
            votes.update(context_votes(s))
            if self.use_gazetteer:
                votes.update(gazetteer_votes(clean_surface(s.text), s.label_))
        longest = max(spans, key=lambda s: (len(name_tokens(s.text)), -s.start_char))
        best = max(votes.values())
        tied = [label for label, v in votes.items() if v == best]
        label = longest.label_ if longest.label_ in tied else tied[0]
        name_spans = [s for s in spans if s.label_ == label] or spans
        name = max(name_spans, key=lambda s: (len(name_tokens(s.text)), -s.start_char)).text
        return EntityCluster(id="", label=label, name=clean_surface(name), salience=0.0, mentions=spans)


def _trim(span: Span) -> Span | None:
    """Drop a leading article and trailing possessive/punctuation tokens."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _TRIM_START or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in _TRIM_END or doc[end - 1].is_punct):
        end -= 1
    if start >= end or not any(c.isalpha() for c in doc[start:end].text):
        return None
    return Span(doc, start, end, label=span.label_)


def _name_pattern(text: str) -> re.Pattern[str]:
    """'Russie-Libertes' also finds 'Russie Libertes', and the other way round."""
    parts = [re.escape(p) for p in re.split(r"[\s\-‐]+", text) if p]
    return re.compile(r"(?<![\w-])" + r"[\s\-‐]+".join(parts) + r"(?![\w-])")


def _propagate(doc: Doc, spans: list[Span]) -> list[Span]:
    """Tag untagged occurrences of names tagged elsewhere in the article, and the surnames
    of people named in full. A longer name found over a shorter tag ("Vesna" inside
    "Vesna-Pravo") replaces it. Returns the full, updated list of spans."""
    labels_by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for s in spans:
        labels_by_key[name_key(s.text)][s.label_] += 1
    surfaces: dict[str, str] = {}
    for s in spans:
        label = labels_by_key[name_key(s.text)].most_common(1)[0][0]
        surfaces.setdefault(s.text, label)
        if label == "PERSON" and len(s) >= 2 and s[-1].text[:1].isupper():
            surfaces.setdefault(s[-1].text, "PERSON")
    result = list(spans)
    text = doc.text  # built from the tokens on every access: once here
    for surface in sorted(surfaces, key=len, reverse=True):
        if len(surface) < 2 or not surface[0].isupper():
            continue
        for m in _name_pattern(surface).finditer(text):
            overlapping = [s for s in result if m.start() < s.end_char and s.start_char < m.end()]
            if any(s.start_char < m.start() or s.end_char > m.end() or s.text == m.group() for s in overlapping):
                continue  # already tagged, or inside a longer name
            span = doc.char_span(m.start(), m.end(), label=surfaces[surface], alignment_mode="strict")
            if span is None or (len(span) == 1 and (span[0].is_stop or span[0].pos_ not in {"PROPN", ""})):
                continue
            result = [s for s in result if s not in overlapping] + [span]
    return result


def _group(spans: list[Span]) -> list[_Group]:
    by_key: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        key = name_key(s.text)
        if s.label_ == "NORP":
            key = key.rstrip("s")  # "Russian" / "Russians"
        by_key[key].append(s)
    return [_Group(key, group) for key, group in by_key.items()]


def _merge_acronyms(groups: list[_Group]) -> list[_Group]:
    """'EU' joins 'European Union' when the article spells it out."""
    by_acronym = {}
    for g in groups:
        long = max(g.spans, key=lambda s: len(s.text)).text
        if len(g.tokens) >= 2 and (g.has_label("ORG") or g.has_label("GPE")):
            by_acronym.setdefault(acronym(long), g)
    kept = []
    for g in groups:
        target = by_acronym.get(clean_surface(g.spans[0].text).replace(".", ""))
        if target is not None and target is not g and all(is_acronym(s.text) for s in g.spans):
            target.spans.extend(g.spans)
        else:
            kept.append(g)
    return kept


def _merge_name_parts(groups: list[_Group]) -> list[list[Span]]:
    """A surname, first name or shorter form joins the full personal name it is part of.

    Shorter names are handled first, so what joins "Hillary Clinton" moves on with it when
    "Hillary Rodham Clinton" is in the article too. With several candidates ("Clinton" in an
    article with two Clintons) each mention goes to the one mentioned most recently before it.
    """
    people = [g for g in groups if g.has_label("PERSON") and len(g.tokens) >= 2]
    clusters: dict[int, list[Span]] = {id(g): list(g.spans) for g in groups}
    for g in sorted(groups, key=lambda g: len(g.tokens)):
        if not (g.has_label("PERSON") or g.has_label("ORG")):
            continue
        candidates = [p for p in people if _is_part(g.tokens, p.tokens)]
        if not candidates:
            continue
        for s in clusters.pop(id(g)):
            clusters[id(_nearest_before(s, candidates))].append(s)
    return [spans for spans in clusters.values() if spans]


def _is_part(part: list[str], full: list[str]) -> bool:
    """'Clinton', 'Hillary' and 'Hillary Clinton' are parts of 'Hillary Rodham Clinton': an
    ordered subset of its words that keeps its first or its last word."""
    if not part or len(part) >= len(full):
        return False
    if part[-1] != full[-1] and part[0] != full[0]:
        return False
    words = iter(full)
    return all(any(w == p for w in words) for p in part)


def _nearest_before(span: Span, candidates: list[_Group]) -> _Group:
    def last_before(g: _Group) -> int:
        starts = [s.start_char for s in g.spans if s.start_char < span.start_char]
        return max(starts) if starts else -1

    return max(candidates, key=lambda g: (last_before(g), -g.first))


def _lede_end(doc: Doc) -> int:
    para = doc.text.find("\n\n")
    if 0 < para <= LEDE_MAX_CHARS:
        return para
    sents = list(doc.sents)[:2]
    return min(sents[-1].end_char if sents else 0, LEDE_MAX_CHARS)


def _score_salience(doc: Doc, entities: list[EntityCluster]) -> None:
    """Frequency weighted by position, as a share of the article's total: saliences sum to 1."""
    title = doc._.title or ""
    lede_end = _lede_end(doc)
    raw = []
    for ent in entities:
        weight = sum(1.0 + (LEDE_WEIGHT if m.start_char < lede_end else 0.0) for m in ent.mentions)
        surfaces = {clean_surface(m.text) for m in ent.mentions}
        weight += TITLE_WEIGHT * sum(1 for s in surfaces if s and _name_pattern(s).search(title))
        raw.append(weight)
    total = sum(raw) or 1.0
    for ent, w in zip(entities, raw):
        ent.salience = round(w / total, 4)


def _set_doc_ents(doc: Doc, entities: list[EntityCluster], labels: set[str]) -> None:
    """Make doc.ents agree with the clusters, keeping the other labels (dates, money…)."""
    ours = [Span(doc, m.start, m.end, label=e.label) for e in entities for m in e.mentions]
    others = [e for e in doc.ents if e.label_ not in labels]
    doc.ents = filter_spans(ours + others)
