#!/usr/bin/env python3
"""Build extractors/data/vocabulary.jsonl from the gazetteer sources and our curated list.

Deterministic, stdlib only. Usage: python scripts/build_vocabulary.py --sources DIR --out FILE
Priority: curated entries always win; source names are cleaned, filtered (junk,
stoplist, generic words, hyper-specific strings) and admitted only with enough
evidence. Entries with the same ``name_key`` within a type are merged; a key in
several types is kept only in the strongest type (collisions are printed).
See extractors/data/SOURCES.md for provenance and the rules.
"""

from __future__ import annotations

import argparse
import collections
import csv
import glob
import json
import os
import re
import sys
from typing import Iterable, Iterator

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vocabulary_text import (  # noqa: E402
    DATA_DIR,
    TYPES,
    Cand,
    Entry,
    basic_clean,
    clean_dataset,
    clean_metric,
    clean_model,
    clean_task,
    detokenize,
    is_acronym_of,
    is_generic,
    is_junk,
    plain_word,
    read_stoplist,
    slug,
    task_case,
)

from kg.normalize import name_key  # noqa: E402


# --------------------------------------------------------------------------- source readers
def read_curated(path: str) -> list[Entry]:
    entries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                entries.append(Entry(d["name"], d["type"], list(d.get("aliases", [])), d.get("family"),
                                     {"curated"}, bool(d.get("cased")), 1000))
    return entries


def walk_sota(node: dict, out: list[Cand], src: str) -> None:
    if "task" in node:
        if (t := clean_task(node["task"])) is not None:
            out.append(Cand(t, "TASK", src))
        for child in node.get("datasets", []) + node.get("subtasks", []):
            walk_sota(child, out, src)
        return
    ds = clean_dataset(node.get("dataset") or node.get("subdataset") or "")
    if ds:
        out.append(Cand(ds[0], "DATASET", src, tuple(ds[1])))
    sota = node.get("sota") or {}
    out += [Cand(m, "METRIC", src) for m in map(clean_metric, sota.get("metrics", [])) if m]
    rows = [r for r in sota.get("rows", []) if r.get("paper_url") or r.get("paper_title")]
    out += [Cand(m, "MODEL", src) for m in (clean_model(r.get("model_name", "")) for r in rows) if m]
    for child in node.get("subdatasets", []):
        walk_sota(child, out, src)


def read_sota(root: str) -> list[Cand]:
    out: list[Cand] = []
    for path in sorted(glob.glob(os.path.join(root, "pwc-sota-extractor", "*.json"))):
        with open(path, encoding="utf-8") as fh:
            for task in json.load(fh):
                walk_sota(task, out, "pwc-sota-extractor")
    with open(os.path.join(root, "pwc-sota-extractor", "synonyms.csv"), encoding="utf-8") as fh:
        for row in csv.reader(fh, skipinitialspace=True):
            a, b = (clean_task(x) for x in row[:2]) if len(row) >= 2 else (None, None)
            if a and b and row[0] != "task":
                out.append(Cand(a, "TASK", "pwc-sota-extractor", (b,)))
    return out


def split_cell(cell: str) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip() and x.strip() != "N/A"]


def read_pwc2025(root: str) -> tuple[list[Cand], set[str]]:
    """Tasks with >= 3 datasets (or parents of >= 3 subtasks); datasets, benchmarks and metrics
    named by >= 2 tasks (weight = number of tasks). Returns also the PwC dataset slugs."""
    rows: list[dict] = []
    for area in ("cv", "nlp", "audio", "other"):
        with open(os.path.join(root, "pwc-task-taxonomy-2025", f"{area}_tasks_detailed.csv"), encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    with open(os.path.join(root, "pwc-task-taxonomy-2025", "task_hierarchy.csv"), encoding="utf-8") as fh:
        parents = {r["Parent Task"] for r in csv.DictReader(fh) if int(r["Child Tasks Count"] or 0) >= 3}
    out: list[Cand] = []
    ds_tasks: dict[tuple, set[str]] = collections.defaultdict(set)
    met_tasks: dict[str, set[str]] = collections.defaultdict(set)
    for r in rows:
        task = r["Task Name"]
        if int(r["Dataset Count"] or 0) >= 3 or task in parents:
            if (t := clean_task(task)) is not None:
                out.append(Cand(t, "TASK", "pwc-2025", weight=int(r["Dataset Count"] or 0)))
        for raw in split_cell(r["Common Datasets (Top 10)"]) + split_cell(r["Benchmarks"]):
            if (ds := clean_dataset(raw)) is not None:
                ds_tasks[(ds[0], tuple(ds[1]))].add(task)
        for raw in split_cell(r["SOTA Metrics"]):
            if (m := clean_metric(raw)) is not None:
                met_tasks[m].add(task)
    out += [Cand(n, "DATASET", "pwc-2025", al, len(ts)) for (n, al), ts in ds_tasks.items()]
    out += [Cand(m, "METRIC", "pwc-2025", weight=len(ts)) for m, ts in met_tasks.items() if len(ts) >= 3]
    slugs = {slug(n): n for (n, _), ts in ds_tasks.items()}
    return out, slugs


def read_tdms(root: str) -> list[Cand]:
    out: list[Cand] = []
    for fname, typ in (("datasetKB.tsv", "DATASET"), ("taskKB.tsv", "TASK"), ("evaMatrixKB.tsv", "METRIC")):
        with open(os.path.join(root, "nlp-tdms", fname), encoding="utf-8") as fh:
            for line in fh:
                raw = line.rstrip("\n").split("\t")[1]
                if typ == "DATASET" and (ds := clean_dataset(raw)):
                    out.append(Cand(ds[0], typ, "nlp-tdms", tuple(ds[1])))
                elif typ == "TASK" and (t := clean_task(raw)):
                    out.append(Cand(t, typ, "nlp-tdms"))
                elif typ == "METRIC" and (m := clean_metric(re.sub(r"\s+on\s+.*$", "", raw))):
                    out.append(Cand(m, typ, "nlp-tdms"))
    return out


def read_hf(root: str, pwc_slugs: dict[str, str]) -> list[Cand]:
    """HF cards that declare a Papers-with-Code id; linked to the PwC name when the slug matches."""
    out: list[Cand] = []
    with open(os.path.join(root, "hf-dataset-cards-2022", "hf_dataset_cards.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            card = json.loads(line)
            pid, pretty = card.get("paperswithcode_id"), card.get("pretty_name")
            if not pid or not pretty or (ds := clean_dataset(pretty)) is None:
                continue
            name, aliases = ds
            if pid in pwc_slugs and name_key(pwc_slugs[pid]) != name_key(name):
                name, aliases = pwc_slugs[pid], [name, *aliases]
            if name.split()[0][:1].isupper() and not is_generic(name):
                out.append(Cand(name, "DATASET", "hf-datasets-2022", tuple(aliases)))
    return out


SCIREX_TYPES = {"Material": "DATASET", "Metric": "METRIC", "Task": "TASK", "Method": "METHOD"}


def scirex_type(ent: dict, name: str) -> str | None:
    votes: collections.Counter = collections.Counter(ent["types_from_relations"])
    votes.update(ent["types_from_mentions"])
    if not votes:
        return None
    typ = SCIREX_TYPES.get(votes.most_common(1)[0][0])
    if typ == "METHOD" and re.search(r"[a-z][A-Z]|[A-Za-z]-?\d|Net\b", name) and not name.isupper():
        return "MODEL"
    return typ


def read_scirex(root: str) -> list[Cand]:
    out: list[Cand] = []
    with open(os.path.join(root, "scirex-salient-entities", "salient_entities.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            ent = json.loads(line)
            if "__" in ent["name"].strip("_"):
                continue
            raw = basic_clean(ent["name"].replace("_", " "))
            forms = collections.Counter()
            for sf, n in ent["surface_forms"].items():
                forms[detokenize(sf)] += n
            key = name_key(raw)
            exact = [f for f, n in forms.most_common() if name_key(f) == key]
            prefix = [f for f, n in forms.most_common() if n >= 2 and key.startswith(name_key(f)) and len(f) > 2]
            name = exact[0] if exact else (prefix[0] if prefix else raw)
            typ = scirex_type(ent, name)
            if typ is None or is_junk(name):
                continue
            if typ in ("METHOD", "MODEL") and (not exact or forms[name] < 2 or clean_model(name) != name):
                continue
            aliases = tuple(f for f, n in forms.items() if n >= 2 and not is_junk(f)
                            and (is_acronym_of(f, name) or is_acronym_of(name, f)))
            if typ == "TASK":
                name, aliases = task_case(name), tuple(task_case(a) for a in aliases)
            elif typ == "METRIC":
                name = clean_metric(name) or ""
            elif typ == "DATASET":
                name = (clean_dataset(name) or ("",))[0]
            ok = name and len(name.split()) <= 4 and not (typ != "METHOD" and is_generic(name))
            if ok and not (typ == "METHOD" and len(name.split()) == 1 and plain_word(name)):
                out.append(Cand(name, typ, "scirex", aliases, ent["n_docs"]))
    return out


# --------------------------------------------------------------------------- merging
class Vocab:
    def __init__(self, stop: set[str]) -> None:
        self.stop = stop
        self.by_type: dict[str, dict[str, Entry]] = {t: {} for t in TYPES}
        self.log: list[str] = []

    def find(self, typ: str, keys: Iterable[str]) -> Entry | None:
        return next((self.by_type[typ][k] for k in keys if k in self.by_type[typ]), None)

    def add_alias(self, e: Entry, alias: str) -> None:
        k = name_key(alias)
        if k in self.stop or not alias or alias == e.name or alias in e.aliases:
            return
        owner = self.by_type[e.type].get(k)
        if owner is None:
            self.by_type[e.type][k] = e
            e.aliases.append(alias)
        elif owner is not e:
            self.log.append(f"within {e.type}: alias {alias!r} of {e.name!r} already names {owner.name!r}; dropped")
        elif e.cased and alias not in e.aliases and k != name_key(e.name):
            e.aliases.append(alias)

    def add(self, e: Entry) -> None:
        if name_key(e.name) in self.stop:
            self.log.append(f"stoplist: dropped {e.type} {e.name!r}")
            return
        existing = self.find(e.type, [name_key(e.name)])
        if existing is None:
            target = Entry(e.name, e.type, [], e.family, set(e.sources), e.cased, e.weight)
            self.by_type[e.type][name_key(e.name)] = target
        else:
            target = existing
            target.sources |= e.sources
            target.weight += e.weight
        for a in e.aliases:
            self.add_alias(target, a)

    def entries(self) -> Iterator[Entry]:
        yield from {id(e): e for t in TYPES for e in self.by_type[t].values()}.values()


def admit(c: Cand, sources: set[str], weight: int) -> bool:
    """Evidence threshold for names that are not curated."""
    if c.type == "DATASET" and sources == {"pwc-2025"}:
        return weight >= 3
    if c.type == "TASK" and sources == {"pwc-sota-extractor"}:
        return weight >= 2
    return True


def merge_candidates(vocab: Vocab, cands: list[Cand]) -> None:
    groups: dict[tuple[str, str], list[Cand]] = collections.defaultdict(list)
    for c in cands:
        groups[(c.type, name_key(c.name))].append(c)
    for (typ, key), cs in sorted(groups.items()):
        srcs = {c.source for c in cs}
        weight = sum(c.weight for c in cs)
        name = collections.Counter(c.name for c in cs).most_common(1)[0][0]
        known = vocab.find(typ, [key])
        if known is None and not admit(cs[0], srcs, weight):
            continue
        aliases = sorted({a for c in cs for a in c.aliases})
        single = len(name.split()) == 1 and name.isalpha() and (plain_word(name) or name.isupper())
        vocab.add(Entry(name, typ, aliases, None, srcs, single and typ in ("DATASET", "MODEL"), weight))


def strength(e: Entry) -> tuple:
    return ("curated" in e.sources, len(e.sources), e.weight, -TYPES.index(e.type))


def resolve_cross_type(vocab: Vocab) -> None:
    owners: dict[str, list[Entry]] = collections.defaultdict(list)
    for e in vocab.entries():
        for k in {name_key(s) for s in [e.name, *e.aliases]}:
            owners[k].append(e)
    dropped: set[int] = set()
    for k, es in sorted(owners.items()):
        es = [e for e in es if id(e) not in dropped]
        if len({e.type for e in es}) < 2:
            continue
        best = max(es, key=lambda e: (strength(e)[0], name_key(e.name) == k, *strength(e)[1:]))
        for e in (e for e in es if e.type != best.type):
            if name_key(e.name) == k:
                vocab.by_type[e.type] = {kk: v for kk, v in vocab.by_type[e.type].items() if v is not e}
                what = "entry"
                dropped.add(id(e))
            else:
                e.aliases = [a for a in e.aliases if name_key(a) != k]
                vocab.by_type[e.type].pop(k, None)
                what = "alias"
            vocab.log.append(f"cross-type: {k!r} kept in {best.type} ({best.name!r}); dropped {what} "
                             f"from {e.type} ({e.name!r}, sources={sorted(e.sources)})")


def fix_families(vocab: Vocab) -> None:
    for e in vocab.entries():
        if e.family and vocab.find(e.type, [name_key(e.family)]) is None:
            vocab.log.append(f"family {e.family!r} of {e.name!r} not found; set to null")
            e.family = None


def write(vocab: Vocab, out: str) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    with open(out, "w", encoding="utf-8") as fh:
        for e in sorted(vocab.entries(), key=lambda e: (e.type, e.name)):
            d: dict = {"name": e.name, "type": e.type, "aliases": e.aliases, "family": e.family,
                       "sources": sorted(e.sources)}
            if e.cased:
                d["cased"] = True
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
            counts[e.type] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--curated", default=os.path.join(DATA_DIR, "curated.jsonl"))
    ap.add_argument("--stoplist", default=os.path.join(DATA_DIR, "stoplist.txt"))
    args = ap.parse_args()
    vocab = Vocab(read_stoplist(args.stoplist))
    for e in read_curated(args.curated):
        vocab.add(e)
    pwc, slugs = read_pwc2025(args.sources)
    cands = read_sota(args.sources) + pwc + read_tdms(args.sources) + read_hf(args.sources, slugs)
    merge_candidates(vocab, cands + read_scirex(args.sources))
    resolve_cross_type(vocab)
    fix_families(vocab)
    counts = write(vocab, args.out)
    for line in vocab.log:
        print(line)
    print("counts: " + ", ".join(f"{t}={counts[t]}" for t in TYPES) + f", total={sum(counts.values())}")


if __name__ == "__main__":
    main()
