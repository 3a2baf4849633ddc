"""The topic head: logistic regressions over frozen sentence embeddings, trained on the
project's own labelled examples (``corpora/topics``), with a temperature and a listing
ratio calibrated on their held-out split. Stored as ``head.npz`` + ``head.json``."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HEAD_FILES = ("head.npz", "head.json")


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class TopicPrediction:
    code: str
    level: int
    score: float
    parent: str | None = None


@dataclass
class TopicHead:
    encoder: str
    level1: list[str]
    w1: np.ndarray
    b1: np.ndarray
    level2: list[str]
    parents2: list[str]
    w2: np.ndarray
    b2: np.ndarray
    temperature: float = 1.0
    # Another level-1 topic is listed when its score is at least this share of the top
    # topic's; calibrated on the held-out split (see train.py).
    ratio: float = 0.1
    min_child: float = 0.5
    # The encoder precision the head was trained on ("fp32" or "int8"); used with the same.
    precision: str = "fp32"
    meta: dict = field(default_factory=dict)

    def level1_probs(self, x: np.ndarray) -> np.ndarray:
        return softmax((x @ self.w1.T + self.b1) / self.temperature)

    def level2_probs(self, x: np.ndarray) -> np.ndarray:
        return softmax(x @ self.w2.T + self.b2)

    def predict(self, x: np.ndarray) -> list[list[TopicPrediction]]:
        """Per row: the top level-1 topic always; another when its probability is at least
        ``ratio`` times the top one's; under each, its likeliest level-2 child when that child holds
        at least ``min_child`` of the parent's level-2 probability."""
        p1, p2 = self.level1_probs(x), self.level2_probs(x)
        out = []
        for row1, row2 in zip(p1, p2):
            top = int(row1.argmax())
            chosen = [k for k in range(len(self.level1)) if k == top or row1[k] >= self.ratio * row1[top]]
            chosen.sort(key=lambda k: -row1[k])
            preds = []
            for k in chosen:
                code = self.level1[k]
                preds.append(TopicPrediction(code, 1, float(row1[k])))
                kids = [j for j, parent in enumerate(self.parents2) if parent == code]
                mass = float(sum(row2[j] for j in kids))
                if kids and mass > 0:
                    best = max(kids, key=lambda j: row2[j])
                    share = float(row2[best]) / mass
                    if share >= self.min_child:
                        preds.append(TopicPrediction(self.level2[best], 2, float(row1[k]) * share, code))
            out.append(preds)
        return out

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / "head.npz", w1=self.w1.astype(np.float32), b1=self.b1.astype(np.float32),
                            w2=self.w2.astype(np.float32), b2=self.b2.astype(np.float32))
        info = {"encoder": self.encoder, "level1": self.level1, "level2": self.level2, "parents2": self.parents2,
                "temperature": self.temperature, "ratio": self.ratio, "min_child": self.min_child,
                "precision": self.precision, "meta": self.meta}
        (directory / "head.json").write_text(json.dumps(info, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "TopicHead":
        info = json.loads((directory / "head.json").read_text(encoding="utf-8"))
        arrays = np.load(directory / "head.npz")
        return cls(encoder=info["encoder"], level1=info["level1"], w1=arrays["w1"], b1=arrays["b1"],
                   level2=info["level2"], parents2=info["parents2"], w2=arrays["w2"], b2=arrays["b2"],
                   temperature=info["temperature"], ratio=info["ratio"],
                   min_child=info["min_child"], precision=info.get("precision", "fp32"), meta=info.get("meta", {}))
