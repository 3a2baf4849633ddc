"""The IPTC Media Topics taxonomy the project ships in ``models/iptc`` (CC BY 4.0 © IPTC)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCHEME = "iptc-mediatopic"


def models_dir() -> Path:
    """``models/`` of the checkout, or ``NEWSNLP_MODELS_DIR``."""
    env = os.environ.get("NEWSNLP_MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class Concept:
    code: str
    label: str
    level: int
    parent: str | None
    definition: str


@dataclass(frozen=True)
class Taxonomy:
    concepts: dict[str, Concept]

    def level(self, n: int) -> list[Concept]:
        return [c for c in self.concepts.values() if c.level == n]

    def children(self, code: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.parent == code]

    def level1_of(self, code: str) -> str:
        concept = self.concepts[code]
        while concept.parent is not None:
            concept = self.concepts[concept.parent]
        return concept.code


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    path = path or models_dir() / "iptc" / "mediatopics_en.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    concepts = {
        t["code"]: Concept(t["code"], t["label"], int(t["level"]), t["parent"], t.get("definition", ""))
        for t in data["topics"]
    }
    return Taxonomy(concepts)
