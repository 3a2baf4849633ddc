"""Topic accuracy on BBC News dev (../shared/eval/bbc_dev.jsonl, 1,114 articles labelled
with one IPTC level-1 code each, 5 topics) — read at run time, never copied into the
project, never used to fit or calibrate anything.

    .venv/bin/python bench/eval_topics.py [HEAD_DIR]   (default: the shipped models/topics)

Prints top-1 accuracy over all 17 level-1 topics, the share of articles whose gold topic is
among the listed ones, and the mean number listed, beside the targets of the topics issue,
and the embedding speed.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "eval" / "bbc_dev.jsonl"
TARGETS = {"top-1": 0.82, "gold listed": 0.93, "topics per article (max)": 2.0}


def main() -> int:
    if not BBC.exists():
        print(f"skipped: {BBC} is not there", file=sys.stderr)
        return 0
    sys.path.insert(0, str(ROOT))
    from nlp.components.iptc_topics import default_head_dir
    from nlp.topics.encoder import SentenceEncoder
    from nlp.topics.head import TopicHead

    head_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_head_dir()
    head = TopicHead.load(head_dir)
    encoder = SentenceEncoder(precision=head.precision)
    rows = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    x = encoder.embed_articles([(None, r["text"]) for r in rows])
    seconds = time.perf_counter() - start
    gold = np.array([r["topics_iptc_level1"][0] for r in rows])
    top1 = np.array(head.level1)[head.level1_probs(x).argmax(1)]
    listed = [[p.code for p in preds if p.level == 1] for preds in head.predict(x)]
    print(f"head: {head_dir} ({head.precision}, {head.meta.get('examples')})")
    print(f"BBC dev: {len(rows)} articles, embedded in {seconds:.1f} s ({len(rows) / seconds:.1f} articles/s)")
    print(f"top-1 over 17 level-1 topics : {np.mean(top1 == gold):.3f}   (target {TARGETS['top-1']})")
    print(f"gold among listed topics     : {np.mean([g in l for g, l in zip(gold, listed)]):.3f}   (target {TARGETS['gold listed']})")
    print(f"level-1 topics per article   : {np.mean([len(l) for l in listed]):.2f}    (target <= {TARGETS['topics per article (max)']})")
    print("most frequent confusions (gold -> top-1):")
    for (g, t), n in Counter((g, t) for g, t in zip(gold, top1) if g != t).most_common(6):
        print(f"  {g} -> {t}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
