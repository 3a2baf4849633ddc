"""Cost of the quotes and speakers components against the spaCy pipeline they run in.

    .venv/bin/python bench/bench_quotes.py [--rounds 3]

Runs the same texts (PolNeAR dev from ../shared/eval when present, else the seed page)
through the newsnlp spaCy pipeline (no topics) with and without "quotes" and "speakers", in one
run, and prints the added share of time (the quotes issue allows at most 10 %).
"""
from __future__ import annotations

import argparse
import time

from bench_pipeline import load_texts, words


def best_of(rounds: int, fn) -> float:
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    from nlp.pipeline import build_pipeline

    nlp = build_pipeline(topics=False)  # the spaCy pipeline alone, without the topic encoder
    name, texts = load_texts()

    def without() -> None:
        with nlp.select_pipes(disable=["quotes", "speakers"]):
            list(nlp.pipe(texts, batch_size=args.batch_size))

    def with_quotes() -> None:
        list(nlp.pipe(texts, batch_size=args.batch_size))

    t_without = best_of(args.rounds, without)
    t_with = best_of(args.rounds, with_quotes)
    n = words(texts)
    print(f"texts: {name}, {n:,} words, batch size {args.batch_size}, best of {args.rounds}")
    print(f"spaCy pipeline without quotes/speakers : {t_without:6.2f} s ({n / t_without:,.0f} words/s)")
    print(f"with quotes + speakers                 : {t_with:6.2f} s ({n / t_with:,.0f} words/s)")
    print(f"added by quotes + speakers             : {100 * (t_with / t_without - 1):6.1f} %")


if __name__ == "__main__":
    main()
