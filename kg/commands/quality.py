"""Extraction quality: eval against gold corpora, train the recogniser."""

from __future__ import annotations

from pathlib import Path

import click

from kg.clikit import Column, emit, extractor_option, output_options, spacy_model_option

__all__ = ["eval_", "train"]


@click.command("eval")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold-annotated file.")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["scierc", "scinlp", "gsap", "tdmsci", "scirex", "jsonl"]),
              help="Format of the gold file (jsonl: text, character-offset spans and our labels).")
@click.option("--only", multiple=True, metavar="CATEGORY", help="Score only this category (repeatable).")
@click.option("--abstracts-only", is_flag=True, help="Score only the texts marked as abstracts (GSAP-NER, SciREX).")
@click.option("--resamples", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Resamples of the papers for the 95% intervals of F1 (0: no intervals).")
@spacy_model_option
@extractor_option
@output_options()
def eval_(gold: Path, fmt: str, only: tuple[str, ...], abstracts_only: bool, resamples: int, spacy_model: str | None,
          extractor: str, output: str) -> None:
    """Score the extractors against gold annotations: P/R/F1 per category, exact and
    overlapping spans, and paper-level concepts, with 95% intervals from resampling papers.

    \b
    Examples:
      kg eval --gold ../shared/data/scierc/dev.jsonl --format scierc --extractor model
      kg eval --gold ../shared/data/gsap-ner/dev.jsonl --format gsap --only MODEL --only DATASET --json
    """
    from kg.quality.evaluate import ABSTRACT_CHARS, evaluate_extractor

    report = evaluate_extractor(gold, fmt, extractor, spacy_model=spacy_model, only=only, abstracts_only=abstracts_only)
    headers = ["exact P", "R", "F1", "partial P", "R", "F1", "paper P", "R", "F1"]
    keys = [(kind, measure) for kind in ("exact", "partial", "paper") for measure in ("precision", "recall", "f1")]
    scores = [_score_column(header, *key) for header, key in zip(headers, keys)]
    if resamples:
        scores.append(Column("exact F1 95%", lambda row: "{:.3f}-{:.3f}".format(*row["exact"]["f1_interval"])))
    rows = report.rows(resamples=resamples)
    emit(output, rows, [Column("category", lambda row: row["category"]), Column("gold", lambda row: row["gold"]),
                        *scores],
         document={"gold": str(gold), "format": fmt, "extractor": extractor, "abstracts_only": abstracts_only,
                   "documents": report.documents, "papers": report.papers, "characters": report.characters,
                   "seconds": round(report.seconds, 3), "load_seconds": round(report.load_seconds, 3),
                   "abstracts_per_second": round(report.abstracts_per_second, 1), "categories": rows},
         footer=f"{report.documents} documents, {report.papers} papers, extractor {extractor}: "
                f"{report.abstracts_per_second:,.0f} abstracts/s ({ABSTRACT_CHARS:,} characters each), "
                f"pipeline loaded in {report.load_seconds:.1f} s")


@click.command()
@click.option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/data"),
              show_default=True, help="Folder of the gold corpora (scierc/, gsap-ner/, tdmsci/, scirex/).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("training/config.cfg"), show_default=True, help="spaCy training config.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("training/output"),
              show_default=True, help="Where the converted corpora and the checkpoints go.")
@click.option("--ship/--no-ship", default=False, help="Copy the trained pipeline into the package (extractors/data/ner).")
@click.option("--max-steps", type=click.IntRange(min=1), help="Stop after this many steps (default: the config's).")
@click.option("--corpus", "corpora", multiple=True, metavar="NAME",
              help="Train on this corpus (repeatable; default: scierc and scirex-abstracts; also scirex, gsap, "
                   "gsap-abstracts, tdmsci).")
def train(shared: Path, config: Path, workdir: Path, ship: bool, max_steps: int | None, corpora: tuple[str, ...]) -> None:
    """Train the statistical recogniser with spaCy on the train splits of the gold corpora.

    \b
    Example:
      kg train --shared ../shared/data --ship
    """
    from kg.quality.train import reproduce

    overrides = {"training.max_steps": max_steps} if max_steps else {}
    best, summary = reproduce(shared, config, workdir, ship=ship, overrides=overrides, corpora=corpora)
    click.echo(f"trained on {sum(summary.train_docs.values())} documents "
               f"({', '.join(f'{k} {v}' for k, v in summary.train_docs.items())}) -> {best}")


def _score_column(header: str, kind: str, measure: str) -> Column:
    def cell(row: dict[str, dict[str, float]]) -> str:
        return f"{row[kind][measure]:.3f}"

    return Column(header, cell)
