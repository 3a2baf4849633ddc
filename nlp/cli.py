"""The ``newsnlp`` command: annotate files, serve the API."""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, help="News article analysis: entities, quotes, topics.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsnlp {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """newsnlp: entities, quotes with their speakers, and IPTC topics for news articles."""


@app.command()
def annotate(
    paths: Annotated[list[Path], typer.Argument(help=".txt, .html or .jsonl files (or folders of them).")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="JSONL file to write; stdout if absent.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per spaCy batch.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Annotate articles and write one record per line (JSONL).

    Articles that cannot be annotated are reported on stderr and skipped; the exit status is
    1 when any was skipped.
    """
    from tqdm import tqdm

    from .annotator import Annotator
    from .readers import InputItem, iter_inputs
    from .schema import ArticleFailure

    annotator = Annotator()
    items: list[InputItem] = []

    def articles() -> Iterator[object]:
        for item in iter_inputs(paths):
            items.append(item)
            yield item.article

    failed = 0
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        results = annotator.pipe(articles(), batch_size=batch_size)
        for n, result in enumerate(tqdm(results, desc="annotating", unit="article", disable=quiet, file=sys.stderr)):
            item = items[n]
            if isinstance(result, ArticleFailure):
                failed += 1
                where = f"{item.source}:{item.line}" if item.line else item.source
                typer.echo(f"{where}: {result.error.code}: {result.error.message}", err=True)
                continue
            out.write(result.model_dump_json() + "\n")
    finally:
        if output:
            out.close()
    if failed:
        typer.echo(f"{failed} of {len(items)} articles skipped", err=True)
        raise typer.Exit(code=1)


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(
        help=".jsonl, .jsonl.gz, .csv, .warc, .warc.gz files, or folders of .txt/.html files.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where records go: .jsonl or .parquet.")],
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (local) or actors (ray).")] = 1,
    engine: Annotated[str, typer.Option(help="local (processes on this machine) or ray.")] = "local",
    ray_address: Annotated[Optional[str], typer.Option(help="Join this Ray cluster (else start a local one).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Start over instead of resuming.")] = False,
    features: Annotated[Optional[str], typer.Option(help="Comma-separated subset of entities,quotes,topics.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per batch sent to a worker.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Annotate whole archives, resumably: run the same command again after a crash and it
    finishes the job with every article exactly once in OUTPUT.

    Bad records go to OUTPUT.errors.jsonl and the run goes on; the exit status is 0 when
    the run finished, even with bad records.
    """
    from .batch.runner import BatchOptions, errors_path, run_batch
    from .errors import NewsNLPError

    options = BatchOptions(
        workers=workers, engine=engine, ray_address=ray_address, overwrite=overwrite, batch_size=batch_size,
        features=tuple(f.strip() for f in features.split(",") if f.strip()) if features is not None else None,
        quiet=quiet,
    )
    try:
        summary = run_batch(inputs, output, options)
    except NewsNLPError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        typer.echo(f"interrupted: run the same command again to finish {output}", err=True)
        raise typer.Exit(130)
    typer.echo(summary.describe(), err=True)
    if summary.failed:
        typer.echo(f"bad records are listed in {errors_path(output)}", err=True)


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path, typer.Argument(help="Gold file: JSON or JSONL (see nlp/evaluation.py for the format).")],
    against: Annotated[Optional[Path], typer.Option("--against", help="Records (JSONL) to score; annotate the gold texts if absent.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Also write the records made to this JSONL file.")] = None,
    minimum: Annotated[Optional[list[str]], typer.Option("--min", help="METRIC=VALUE: exit 1 when a metric falls below.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score records against gold: body cleaning, entities, quotes, speakers, topics."""
    from tqdm import tqdm

    from .evaluation import evaluate, gold_text, load_json_records
    from .schema import AnnotationRecord, ArticleFailure

    golds = load_json_records(gold)
    if against is not None:
        records = [AnnotationRecord.model_validate(r) for r in load_json_records(against)]
    else:
        from .annotator import Annotator

        inputs = [{"id": g.get("id"), "text": gold_text(g, gold)} for g in golds]
        missing_text = [i["id"] for i in inputs if i["text"] is None]
        if missing_text:
            raise typer.BadParameter(f"no text for gold ids {missing_text[:5]}: give 'text' or 'source_file'")
        results = list(tqdm(Annotator().pipe(inputs), total=len(inputs), desc="annotating", disable=quiet, file=sys.stderr))
        for failure in (r for r in results if isinstance(r, ArticleFailure)):
            typer.echo(f"{failure.id}: {failure.error.code}: {failure.error.message}", err=True)
        records = [r for r in results if isinstance(r, AnnotationRecord)]
        if output is not None:
            output.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    metrics, missing = evaluate(golds, records)
    report = {"documents": len(golds), "missing": missing, **metrics}
    if as_json:
        typer.echo(json.dumps(report))
    else:
        for key, value in report.items():
            typer.echo(f"{key:15} {value}")
    short = []
    for spec in minimum or []:
        name, _, value = spec.partition("=")
        if name not in metrics or metrics[name] < float(value):
            short.append(f"{name}={metrics.get(name)} < {value}")
    if short:
        typer.echo("FALLS SHORT: " + "; ".join(short), err=True)
        raise typer.Exit(code=1)


@app.command("train-topics")
def train_topics(
    examples: Annotated[Path, typer.Option(help="Folder of labelled examples (*.jsonl).")] = Path("corpora/topics"),
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write head.npz and head.json.")] = Path("models/topics"),
    limit_per_topic: Annotated[Optional[int], typer.Option(help="Use at most this many examples per topic and split (a quick run).")] = None,
    precision: Annotated[str, typer.Option(help="Encoder precision the head is trained for and used with: fp32 (shipped) or int8 (1.4-1.8x faster, but an article's topics then depend on what it is batched with).")] = "fp32",
) -> None:
    """Train the IPTC topic head on the project's labelled examples (reproducible)."""
    from .topics.encoder import SentenceEncoder
    from .topics.train import load_examples, train_head

    found = load_examples(examples)
    if not found:
        raise typer.BadParameter(f"no examples (*.jsonl) in {examples}")
    typer.echo(f"{len(found)} examples from {examples}; embedding and fitting…", err=True)
    head = train_head(found, SentenceEncoder(precision=precision), limit_per_topic=limit_per_topic)
    head.save(output)
    typer.echo(json.dumps(head.meta, indent=1))


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[Optional[int], typer.Option(
        min=1, help="Model processes, each loads the models once; one server process hands each call to a free one.")] = None,
) -> None:
    """Serve the HTTP API (POST /v1/annotate, docs at /docs). Service settings (keys,
    limits, CORS, timeouts) come from NEWSNLP_* variables: see README, Deploying."""
    import uvicorn

    # The API package is loaded by name so that nlp/ never imports the web layer at import time.
    from api.settings import get_service_settings

    if workers is not None:
        # One uvicorn process, always: the app runs `workers` model processes behind it
        # (see api.engine for why not uvicorn's own workers), and reads the number here.
        os.environ["NEWSNLP_WORKERS"] = str(workers)
    settings = get_service_settings()
    host = host or settings.host
    if settings.api_keys_file is None and host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("newsnlp.api").warning(
            "serving on %s with no API keys: anyone who can reach it may use it "
            "(set NEWSNLP_API_KEYS_FILE; see README, Deploying)", host)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port or settings.port,
        log_level=settings.log_level,
        # A client that sends nothing for this long loses its idle connection; SIGTERM lets
        # requests in flight finish for graceful_timeout seconds while new ones are refused.
        timeout_keep_alive=settings.timeout_keep_alive,
        timeout_graceful_shutdown=settings.graceful_timeout,
    )


if __name__ == "__main__":  # pragma: no cover
    app()
