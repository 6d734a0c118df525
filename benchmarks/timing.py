"""The one timing rule of the benchmarks: the median of several runs (these machines are noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["median_seconds"]


def median_seconds(run: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> float:
    """Median wall-clock seconds of ``repeat`` runs of ``run``; ``before`` runs untimed before each."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
