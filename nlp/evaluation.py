"""The project's own checks of a record against a small gold file (``corpora/*.gold.json``):
body cleaning and document-level entities. Used by the tests and ``newsnlp evaluate``.

Entities compare at document level on three coarse types (PERSON, ORG, LOC with GPE and
FAC counted as LOC); one system entity matches a gold entity when any of its names equals
any gold alias, under the same name key the pipeline uses.
"""
from __future__ import annotations

from dataclasses import dataclass

from .entities.names import name_key
from .schema import AnnotationRecord

COARSE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


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
