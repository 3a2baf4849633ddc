"""Cost of the topic step against the spaCy pipeline it runs after, per article.

    .venv/bin/python bench/bench_topics.py [--rounds 3] [--precision fp32|int8|both]

Texts: the project's own full-length topic articles (corpora/topics/*.long*.jsonl, about
250-450 words each). In one run it times the newsnlp spaCy pipeline without topics
(tokenizer, tagger, parser, NER, entity clusters, quotes, speakers) over them, then the
``iptc_topics`` step alone over the same Docs, and prints the median time per article
and the ratio (the topics issue allows at most 0.40).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_articles(limit: int) -> list[tuple[str, str]]:
    rows = []
    for path in sorted((ROOT / "corpora" / "topics").glob("*.long*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            title, _, body = json.loads(line)["text"].partition("\n\n")
            rows.append((title, body))
    return rows[::max(1, len(rows) // limit)][:limit]


def per_article_ms(fn, items, rounds: int, batch: int) -> list[float]:
    """Median over rounds of each batch's time divided by its size (ms per article)."""
    fn(items[:batch])  # warm up
    times = []
    for _ in range(rounds):
        round_times = []
        for i in range(0, len(items), batch):
            chunk = items[i : i + batch]
            start = time.perf_counter()
            fn(chunk)
            round_times.extend([(time.perf_counter() - start) * 1000 / len(chunk)] * len(chunk))
        times.append(round_times)
    return [statistics.median(col) for col in zip(*times)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=160)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--precision", choices=("fp32", "int8", "both"), default="both")
    args = parser.parse_args()

    from nlp.pipeline import build_pipeline
    from nlp.topics.encoder import SentenceEncoder
    from nlp.topics.head import TopicHead
    from nlp.components.iptc_topics import default_head_dir

    nlp = build_pipeline(topics=False)
    articles = load_articles(args.articles)
    words = [len(b.split()) for _, b in articles]

    def spacy_step(chunk):
        docs = [nlp.make_doc(body) for _, body in chunk]
        list(nlp.pipe(docs, batch_size=args.batch_size))

    spacy_ms = per_article_ms(spacy_step, articles, args.rounds, args.batch_size)
    head = TopicHead.load(default_head_dir())
    print(f"{len(articles)} articles, median {statistics.median(words):.0f} words; batch {args.batch_size}; "
          f"median of {args.rounds} rounds; shipped head trained for {head.precision}")
    print(f"spaCy pipeline (no topics)   : {statistics.median(spacy_ms):7.1f} ms/article")
    for precision in (("fp32", "int8") if args.precision == "both" else (args.precision,)):
        encoder = SentenceEncoder(precision=precision)

        def topic_step(chunk):
            head.predict(encoder.embed_articles(chunk))

        topic_ms = per_article_ms(topic_step, articles, args.rounds, args.batch_size)
        ratio = statistics.median(topic_ms) / statistics.median(spacy_ms)
        print(f"topic step ({precision})         : {statistics.median(topic_ms):7.1f} ms/article  "
              f"ratio {ratio:.2f} (target <= 0.40)")


if __name__ == "__main__":
    main()
