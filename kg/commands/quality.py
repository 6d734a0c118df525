"""Extraction quality: eval against gold corpora, train the recogniser."""

from __future__ import annotations

from pathlib import Path

import click

from kg.clikit import Column, emit, extractor_option, output_options, spacy_model_option

__all__ = ["eval_", "train"]


@click.command("eval")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold-annotated file.")
@click.option("--format", "fmt", required=True, type=click.Choice(["scierc", "scinlp", "gsap", "tdmsci", "jsonl"]),
              help="Format of the gold file (jsonl: text, character-offset spans and our labels).")
@click.option("--only", multiple=True, metavar="CATEGORY", help="Score only this category (repeatable).")
@click.option("--abstracts-only", is_flag=True, help="Score only the paragraphs marked as abstracts (GSAP-NER).")
@spacy_model_option
@extractor_option
@output_options()
def eval_(gold: Path, fmt: str, only: tuple[str, ...], abstracts_only: bool, spacy_model: str | None, extractor: str,
          output: str) -> None:
    """Score the extractors against gold annotations: P/R/F1 per category, exact and
    overlapping spans, and paper-level concepts.

    \b
    Examples:
      kg eval --gold ../shared/data/scierc/dev.jsonl --format scierc --extractor model
      kg eval --gold ../shared/data/gsap-ner/dev.jsonl --format gsap --only MODEL --only DATASET --json
    """
    from kg.extractors.pipeline import make_pipeline
    from kg.quality.evaluate import evaluate_file

    report = evaluate_file(gold, fmt, make_pipeline(spacy_model, extractor=extractor), only=only,
                           abstracts_only=abstracts_only)
    headers = ["exact P", "R", "F1", "partial P", "R", "F1", "paper P", "R", "F1"]
    keys = [(kind, measure) for kind in ("exact", "partial", "paper") for measure in ("precision", "recall", "f1")]
    scores = [_score_column(header, *key) for header, key in zip(headers, keys)]
    emit(output, report.rows(), [Column("category", lambda row: row["category"]), Column("gold", lambda row: row["gold"]),
                                 *scores],
         document={"gold": str(gold), "format": fmt, "extractor": extractor, "abstracts_only": abstracts_only,
                   "documents": report.documents, "papers": report.papers, "seconds": round(report.seconds, 3),
                   "categories": report.rows()},
         footer=f"{report.documents} documents, {report.papers} papers, extractor {extractor}: "
                f"{report.documents / max(report.seconds, 1e-9):,.0f} documents/s")


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
