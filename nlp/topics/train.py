"""Train the topic head from ``corpora/topics/*.jsonl`` (examples written for the project,
with their own held-out split): embeddings from the frozen encoder, logistic regression
with its strength chosen by cross-validation on the training split, then a temperature and
the listing ratio calibrated on the held-out split. Nothing else is read: BBC, PolNeAR
and the seed page are for measuring only."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .encoder import SentenceEncoder
from .head import TopicHead, softmax

C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
RATIO_GRID = (0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.075, 0.05, 0.025)
# Share of held-out examples whose topic must be among those listed: the listing ratio is
# the largest (fewest topics) that reaches it.
RECALL_TARGET = 0.95
HEAD_VERSION = "1"


@dataclass
class Example:
    id: str
    title: str
    body: str
    level1: str
    level2: str | None
    split: str


def load_examples(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            title, _, body = row["text"].partition("\n\n")
            codes = row["topics"]
            examples.append(Example(row["id"], title.strip(), body.strip(), codes[0],
                                    codes[1] if len(codes) > 1 else None, row.get("split", "train")))
    return examples


def _fit(x: np.ndarray, y: list[str], seed: int = 0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    best_c, best = C_GRID[0], -1.0
    folds = min(5, min(y.count(label) for label in set(y)))
    if folds >= 2:
        for c in C_GRID:
            score = cross_val_score(LogisticRegression(C=c, max_iter=3000), x, y, cv=folds).mean()
            if score > best:
                best_c, best = c, score
    model = LogisticRegression(C=best_c, max_iter=3000, random_state=seed).fit(x, y)
    return model, best_c, best


def _weights(model) -> tuple[np.ndarray, np.ndarray]:
    """One row of weights per class; sklearn gives a single row for two classes."""
    w, b = model.coef_, model.intercept_
    if len(model.classes_) == 2 and w.shape[0] == 1:
        w, b = np.vstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2])
    return w, b


def _temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature that minimises the held-out negative log-likelihood."""
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 60))
    nll = [-np.log(softmax(logits / t)[np.arange(len(gold)), gold] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def _ratio(probs: np.ndarray, gold: np.ndarray) -> float:
    """The largest listing ratio whose listed topics hold the gold topic for at least
    RECALL_TARGET of the held-out examples."""
    top = probs.max(axis=1, keepdims=True)
    for ratio in RATIO_GRID:
        listed = probs >= ratio * top
        if listed[np.arange(len(gold)), gold].mean() >= RECALL_TARGET:
            return ratio
    return RATIO_GRID[-1]


def train_head(examples: list[Example], encoder: SentenceEncoder, limit_per_topic: int | None = None) -> TopicHead:
    if limit_per_topic:
        kept: dict[str, int] = {}
        sliced = []
        for ex in examples:
            key = (ex.level1, ex.split)
            if kept.get(key, 0) < limit_per_topic:
                kept[key] = kept.get(key, 0) + 1
                sliced.append(ex)
        examples = sliced
    train = [e for e in examples if e.split != "heldout"]
    held = [e for e in examples if e.split == "heldout"]
    x_train = encoder.embed_articles([(e.title, e.body) for e in train])
    x_held = encoder.embed_articles([(e.title, e.body) for e in held])
    model1, c1, cv1 = _fit(x_train, [e.level1 for e in train])
    with_child = [i for i, e in enumerate(train) if e.level2]
    model2, c2, _ = _fit(x_train[with_child], [train[i].level2 for i in with_child])
    labels = list(model1.classes_)
    w1, b1 = _weights(model1)
    w2, b2 = _weights(model2)
    gold = np.array([labels.index(e.level1) for e in held])
    logits = x_held @ w1.T + b1
    temperature = _temperature(logits, gold) if len(held) else 1.0
    probs = softmax(logits / temperature)
    parents = {e.level2: e.level1 for e in train if e.level2}
    head = TopicHead(
        encoder=encoder.name, level1=labels, w1=w1, b1=b1,
        level2=list(model2.classes_), parents2=[parents[c] for c in model2.classes_],
        w2=w2, b2=b2, temperature=temperature,
        ratio=_ratio(probs, gold) if len(held) else RATIO_GRID[-1],
    )
    predictions = head.predict(x_held)
    listed = [[p.code for p in row if p.level == 1] for row in predictions]
    head.meta = {
        "version": HEAD_VERSION, "trained": date.today().isoformat(),
        "examples": {"train": len(train), "heldout": len(held)},
        "C": {"level1": c1, "level2": c2}, "cv_accuracy_level1": round(cv1, 4),
        "heldout": {
            "top1": round(float((probs.argmax(1) == gold).mean()), 4) if len(held) else None,
            "gold_listed": round(float(np.mean([e.level1 in l for e, l in zip(held, listed)])), 4) if len(held) else None,
            "topics_per_article": round(float(np.mean([len(l) for l in listed])), 3) if len(held) else None,
        },
    }
    return head
