"""In-domain word clusters for the tagger, learned from raw abstracts (no labels, nothing downloaded).

Three steps, each reproducible with a fixed seed:

1. :func:`write_token_text`: the titles and abstracts of the corpora (xz JSON lines,
   ``title`` and ``abstract`` fields), tokenised by the rules' tokenizer and lower-cased,
   one abstract per line;
2. :func:`train_vectors`: fastText skip-gram vectors on that text (the ``floret``
   package in its plain fastText mode, a training-only dependency);
3. :func:`cluster_words`: k-means over the vectors of the frequent words, at several
   sizes; :func:`save_clusters` writes them as :mod:`kg.extractors.clusters` reads them.

Only hashes of the words and their cluster numbers are written: no text of the
corpora goes into the shipped file.

Examples
--------
>>> import numpy as np
>>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
>>> kmeans(vectors, 2, seed=0).tolist() in ([0, 0, 1, 1], [1, 1, 0, 0])
True
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.strings import hash_string  # type: ignore[attr-defined]

from kg.errors import InputError
from kg.extractors.pipeline import split_names

__all__ = ["abstract_texts", "cluster_words", "kmeans", "save_clusters", "train_vectors", "write_token_text"]


def abstract_texts(paths: Iterable[str | Path]) -> Iterator[str]:
    """Title and abstract of every record of the xz (or plain) JSON-lines files ``paths``.

    Raises
    ------
    InputError
        A file is missing.
    """
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError("corpus not found", path=path)
        opener: Any = lzma.open if path.suffix == ".xz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    row = json.loads(line)
                    yield f"{row.get('title') or ''}\n\n{row.get('abstract') or ''}"


def write_token_text(texts: Iterable[str], out: str | Path) -> int:
    """Write ``texts`` tokenised and lower-cased, one per line; return the number of tokens."""
    nlp = spacy.blank("en")
    split_names(nlp)
    count = 0
    with open(out, "w", encoding="utf-8") as sink:
        for doc in nlp.pipe(texts, batch_size=512):
            words = [token.lower_ for token in doc if not token.is_space]
            count += len(words)
            sink.write(" ".join(words) + "\n")
    return count


def train_vectors(text: str | Path, *, dim: int = 100, epochs: int = 5, min_count: int = 5,
                  threads: int = 2, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """fastText skip-gram vectors of the words of ``text``: the words (most frequent first) and their vectors."""
    import floret  # a training-only dependency

    model = floret.train_unsupervised(str(text), model="skipgram", mode="fasttext", dim=dim, epoch=epochs,
                                      minCount=min_count, thread=threads, seed=seed)
    words = list(model.get_words())
    vectors = np.stack([model.get_word_vector(word) for word in words]).astype(np.float32)
    return words, vectors


def kmeans(vectors: np.ndarray, k: int, *, seed: int = 0, iterations: int = 25) -> np.ndarray:
    """Spherical k-means (cosine) of the rows of ``vectors``: the cluster number of each row."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    rng = np.random.default_rng(seed)
    centres = unit[rng.choice(len(unit), size=k, replace=False)]
    assigned = np.zeros(len(unit), dtype=np.int64)
    for _ in range(iterations):
        assigned = np.concatenate([np.argmax(chunk @ centres.T, axis=1) for chunk in np.array_split(unit, 1 + len(unit) // 20000)])
        for c in range(k):
            members = unit[assigned == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-9)
    return assigned


def cluster_words(vectors: np.ndarray, sizes: Sequence[int], *, seed: int = 0) -> np.ndarray:
    """One column of cluster numbers per size in ``sizes`` (rows: the words)."""
    return np.stack([kmeans(vectors, k, seed=seed) for k in sizes], axis=1).astype(np.uint16)


def save_clusters(path: str | Path, words: Sequence[str], clusters: np.ndarray, sizes: Sequence[int]) -> None:
    """Write the clusters as hashes of the words (spaCy's string hash) and their cluster numbers."""
    hashes = np.array([hash_string(word) for word in words], dtype=np.uint64)
    order = np.argsort(hashes)
    np.savez_compressed(path, hashes=hashes[order], clusters=clusters[order], sizes=np.array(sizes, dtype=np.int32))
