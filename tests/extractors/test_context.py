"""Context rules on texts that once made a regular expression backtrack for minutes."""

from __future__ import annotations

import time

from kg.extractors.context import find_context_names


def test_long_capitalised_names_before_a_dataset_word_take_no_time() -> None:
    # a real GSAP-NER paragraph: the dataset-list rule took 218 s on it
    text = ("Table 1, Table 2, Table 3 and Table 4 summarize the experimental results of various models on "
            "WIKISQL-WEAK, WIKITABLEQUESTIONS, SQA and TABFACT respectively. For both dev and test sets of all "
            "datasets, we report the median performance of our approach for five random runs.")
    started = time.perf_counter()
    assert list(find_context_names(text)) == []
    assert list(find_context_names("Results on WIKITABLEQUESTIONSANDMOREWORDS and SQA datasets.")) == [
        (11, 41, "DATASET", False), (46, 49, "DATASET", False)]
    assert time.perf_counter() - started < 1.0
