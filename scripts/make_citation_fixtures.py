"""Rebuild the citation test fixtures from the shared corpora (run from the repository root).

    python scripts/make_citation_fixtures.py --shared ../shared/data

* tests/fixtures/citeseer/papers.jsonl.gz: the CiteSeer corpus as shared, gzipped, unchanged.
* tests/fixtures/scholarly/{s2.json, openalex.json, papers.bib}: real S2ORC sample records
  (titles, abstracts, authors, years, DOIs, arXiv ids, outbound references) written in the shapes
  of a Semantic Scholar Graph API batch response, an OpenAlex /works page and a BibTeX file.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def s2_paper(row: dict) -> dict:
    external = {"CorpusId": int(row["id"])}
    if row.get("doi"):
        external["DOI"] = row["doi"]
    if row.get("arxiv_id"):
        external["ArXiv"] = row["arxiv_id"]
    return {"paperId": row["id"], "externalIds": external, "title": row["title"], "abstract": row["abstract"],
            "year": row["year"], "authors": [{"name": name} for name in row["authors"]],
            "references": [{"paperId": ref} for ref in row["references"]]}


def openalex_work(row: dict) -> dict:
    index: dict[str, list[int]] = {}
    for position, word in enumerate((row["abstract"] or "").split()):
        index.setdefault(word, []).append(position)
    return {"id": f"https://openalex.org/W{row['id']}", "doi": f"https://doi.org/{row['doi']}" if row["doi"] else None,
            "title": row["title"], "display_name": row["title"], "publication_year": row["year"],
            "authorships": [{"author": {"display_name": name}} for name in row["authors"]],
            "abstract_inverted_index": index or None,
            "referenced_works": [f"https://openalex.org/W{ref}" for ref in row["references"]]}


def bibtex_entry(row: dict) -> str:
    fields = {"title": row["title"], "author": " and ".join(row["authors"]), "year": str(row["year"]),
              "abstract": row["abstract"] or "", "doi": row["doi"] or "", "eprint": row["arxiv_id"] or "",
              "journal": row["journal"] or row["venue"] or ""}
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@article{{s2orc{row['id']},\n{body}\n}}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    citeseer = (args.shared / "corpora" / "citeseer-orig" / "papers.jsonl").read_bytes()
    (ROOT / "tests/fixtures/citeseer/papers.jsonl.gz").write_bytes(gzip.compress(citeseer, mtime=0))
    rows = [json.loads(line) for line in (args.shared / "corpora" / "s2orc-sample" / "papers.jsonl").open()]
    chosen = [r for r in rows if r["abstract"] and r["references"] and r["year"] and (r["doi"] or r["arxiv_id"])]
    chosen.sort(key=lambda r: (not r["arxiv_id"], r["id"]))
    out = ROOT / "tests/fixtures/scholarly"
    (out / "s2.json").write_text(json.dumps([s2_paper(r) for r in chosen[:5]], indent=1, ensure_ascii=False) + "\n")
    page = {"meta": {"count": 5, "page": 1, "per_page": 5}, "results": [openalex_work(r) for r in chosen[5:10]]}
    (out / "openalex.json").write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n")
    (out / "papers.bib").write_text("\n".join(bibtex_entry(r) for r in chosen[10:15]))


if __name__ == "__main__":
    main()
