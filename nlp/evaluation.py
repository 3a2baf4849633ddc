"""Measure annotation records against gold files, so users can measure on their own gold.

Gold format (one JSON object, or JSONL with one per line), as in ``corpora/*.gold.json``:
``id``, ``text`` (or ``source_file`` beside the gold file), and any of
``body_must_contain`` / ``body_must_not_contain``, ``entities`` ({TYPE: [[aliases…]…]})
with ``entities_optional``, ``quotes`` ([{quote, kind, speaker: [aliases…], scope?}]),
``topics_iptc_level1`` with ``topics_iptc_level1_optional``.

Metrics (micro-averaged):
  body.ok         share of body checks that hold
  entity.p/r/f    document-level PERSON / ORG / LOC entities (GPE and FAC count as LOC)
  quote.p/r/f     quotes paired by token F1 >= 0.5 of their text
  direct.p/r/f    gold direct quotes against system quotes of kind "direct"
  speaker.acc     paired quotes whose speaker is right
  e2e.p/r/f       quote paired and speaker right
  topic.p/r/f     IPTC level-1 codes
Gold quotes with ``scope: extra`` (beliefs and the like) are neither rewarded nor
punished. Speakers: where the gold lists entity-level names (the gold has ``entities``),
the record's resolved name must match; elsewhere (spans as written) the mention text also
counts, and a token F1 >= 0.5 with a gold alias is enough.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .entities.names import name_key
from .schema import AnnotationRecord

COARSE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
PAIR_THRESHOLD = 0.5
ALIAS_EXTRA_WORDS = 6


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# -- loading ----------------------------------------------------------------------------
def load_json_records(path: Path) -> list[dict]:
    raw = path.read_text(encoding="utf-8").strip()
    if not raw:
        return []
    if raw[0] == "[":
        return json.loads(raw)
    try:
        return [json.loads(raw)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]


def gold_text(gold: dict, gold_path: Path) -> str | None:
    if isinstance(gold.get("text"), str):
        return gold["text"]
    source = gold.get("source_file")
    if source and (gold_path.parent / source).exists():
        return (gold_path.parent / source).read_text(encoding="utf-8")
    return None


# -- pieces -------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def token_f1(a: str, b: str) -> float:
    ca, cb = Counter(_words(a)), Counter(_words(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(cb.values()), common / sum(ca.values())
    return 2 * p * r / (p + r)


def body_ok(gold: dict, record: AnnotationRecord) -> float:
    """Share of the body checks that hold."""
    checks = [s in record.text for s in gold.get("body_must_contain", [])]
    checks += [s not in record.text for s in gold.get("body_must_not_contain", [])]
    return sum(checks) / len(checks) if checks else 1.0


def entity_scores(gold: dict, record: AnnotationRecord) -> tuple[PRF, list[str], list[str]]:
    """Scores, the system entities that matched nothing, and the gold entities missed."""
    groups = [
        (etype, {name_key(a) for a in aliases})
        for etype, alias_lists in gold.get("entities", {}).items()
        for aliases in alias_lists
    ]
    optional = {name_key(n) for n in gold.get("entities_optional", [])}
    prf, spurious, matched = PRF(), [], set()
    for ent in record.entities:
        coarse = COARSE.get(ent.type)
        if coarse is None:
            continue
        keys = {name_key(ent.name)} | {name_key(m.text) for m in ent.mentions}
        hit = next((i for i, (t, aliases) in enumerate(groups) if t == coarse and keys & aliases), None)
        if hit is None:
            if not keys & optional:
                prf.fp += 1
                spurious.append(f"{ent.type} {ent.name}")
        elif hit not in matched:
            matched.add(hit)
            prf.tp += 1
    missed = [f"{t} {sorted(a)[0]}" for i, (t, a) in enumerate(groups) if i not in matched]
    prf.fn = len(missed)
    return prf, spurious, missed


def pair_quotes(gold_quotes: list[dict], texts: list[str]) -> list[tuple[int, int]]:
    """Best pairs first, each gold and system quote used once."""
    candidates = sorted(
        ((token_f1(g["quote"], t), gi, si) for gi, g in enumerate(gold_quotes) for si, t in enumerate(texts)),
        reverse=True,
    )
    used_g, used_s, pairs = set(), set(), []
    for f, gi, si in candidates:
        if f < PAIR_THRESHOLD:
            break
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            pairs.append((gi, si))
    return pairs


def _name_matches(name: str, aliases: list[str]) -> bool:
    key = name_key(name)
    for alias in aliases:
        a = name_key(alias)
        if a and (key == a or (re.search(rf"(^| ){re.escape(a)}( |$)", key) and len(key.split()) <= len(a.split()) + ALIAS_EXTRA_WORDS)):
            return True
    return False


def speaker_right(quote: Any, aliases: list[str], names_by_entity: dict[str, str], entity_level: bool) -> bool:
    sp = quote.speaker
    if sp is None:
        return False
    names = [n for n in (names_by_entity.get(sp.entity or ""), sp.name, sp.text) if n]
    if entity_level:
        return bool(names) and _name_matches(names[0], aliases)
    return any(_name_matches(n, aliases) or max((token_f1(a, n) for a in aliases), default=0.0) >= PAIR_THRESHOLD
               for n in names)


@dataclass
class Scores:
    entity: PRF = field(default_factory=PRF)
    quote: PRF = field(default_factory=PRF)
    direct: PRF = field(default_factory=PRF)
    e2e: PRF = field(default_factory=PRF)
    topic: PRF = field(default_factory=PRF)
    body_checks: list[bool] = field(default_factory=list)
    speakers: list[bool] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.body_checks:
            out["body.ok"] = round(sum(self.body_checks) / len(self.body_checks), 4)
        for name in ("entity", "quote", "direct", "e2e", "topic"):
            if name in self.seen:
                prf: PRF = getattr(self, name)
                out[f"{name}.p"], out[f"{name}.r"], out[f"{name}.f"] = (
                    round(prf.precision, 4), round(prf.recall, 4), round(prf.f1, 4))
        if "quote" in self.seen:
            out["speaker.acc"] = round(sum(self.speakers) / len(self.speakers), 4) if self.speakers else 0.0
        return out


def _tally(prf: PRF, gold_quotes: list[dict], n_system: int, pairs: list[tuple[int, int]], right: set[int] | None = None) -> None:
    core = lambda g: g.get("scope", "core") == "core"  # noqa: E731
    aside = sum(1 for gi, _ in pairs if not core(gold_quotes[gi]))
    hits = [k for k, (gi, _) in enumerate(pairs) if core(gold_quotes[gi]) and (right is None or k in right)]
    prf.tp += len(hits)
    prf.fp += n_system - aside - len(hits)
    prf.fn += sum(1 for g in gold_quotes if core(g)) - len(hits)


def _score_quotes(gold: dict, record: AnnotationRecord, s: Scores) -> None:
    s.seen.update({"quote", "direct", "e2e"})
    gq, sq = gold["quotes"], record.quotes
    names = {e.id: e.name for e in record.entities}
    entity_level = "entities" in gold
    pairs = pair_quotes(gq, [q.text for q in sq])
    _tally(s.quote, gq, len(sq), pairs)
    right = set()
    for k, (gi, si) in enumerate(pairs):
        if gq[gi].get("scope", "core") != "core":
            continue
        ok = speaker_right(sq[si], gq[gi]["speaker"], names, entity_level)
        s.speakers.append(ok)
        if ok:
            right.add(k)
    _tally(s.e2e, gq, len(sq), pairs, right)
    # direct: a system "direct" quote that pairs with a gold mixed or indirect one is set aside
    gd = [g if g.get("kind") == "direct" else {**g, "scope": "extra"} for g in gq]
    sd = [q.text for q in sq if q.kind == "direct"]
    _tally(s.direct, gd, len(sd), pair_quotes(gd, sd))


def evaluate(golds: Iterable[dict], records: Iterable[AnnotationRecord]) -> tuple[dict[str, float], list[str]]:
    """Metrics over all gold documents, and the ids of gold documents with no record."""
    by_id = {r.id: r for r in records}
    s, missing = Scores(), []
    for gold in golds:
        record = by_id.get(gold.get("id"))
        if record is None:
            missing.append(str(gold.get("id")))
            continue
        s.body_checks += [x in record.text for x in gold.get("body_must_contain", [])]
        s.body_checks += [x not in record.text for x in gold.get("body_must_not_contain", [])]
        if "entities" in gold:
            s.seen.add("entity")
            prf, _, _ = entity_scores(gold, record)
            s.entity.tp, s.entity.fp, s.entity.fn = s.entity.tp + prf.tp, s.entity.fp + prf.fp, s.entity.fn + prf.fn
        if "quotes" in gold:
            _score_quotes(gold, record, s)
        if "topics_iptc_level1" in gold:
            s.seen.add("topic")
            want, optional = set(gold["topics_iptc_level1"]), set(gold.get("topics_iptc_level1_optional", []))
            got = {t.id for t in record.topics if t.level == 1}
            s.topic.tp += len(got & want)
            s.topic.fp += len(got - want - optional)
            s.topic.fn += len(want - got)
    return s.as_dict(), missing
