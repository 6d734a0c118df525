"""Progress a person can trust: one bar per build stage on stderr, quiet off a terminal.

Each stage of a build (read, extract, resolve, write) gets its bar when it
begins; the rate and the time left are measured from the end of its first full
batch, not from the pipeline loading. A stage whose total is not yet
known (a stream being read) shows a count and a rate; its total arrives when
it is done.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["StageBars"]

_LABELS = {"read": "reading", "extract": "extracting", "resolve": "resolving", "write": "writing"}


class StageBars:
    """``progress(stage, done, total)`` for :func:`kg.pipeline.build.build`, drawn with tqdm.

    ``show`` is ``True`` (always), ``False`` (never) or ``None`` (when stderr is a terminal).

    >>> bars = StageBars(show=False)
    >>> bars("extract", 10, None); bars.close()
    """

    def __init__(self, show: bool | None = None):
        self.show = sys.stderr.isatty() if show is None else show
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.show:
            return
        bar = self._bars.get(stage)
        if bar is None:
            from tqdm import tqdm  # type: ignore[import-untyped]

            bar = self._bars[stage] = tqdm(total=total, initial=done, desc=_LABELS.get(stage, stage), unit=" papers",
                                           file=sys.stderr, position=len(self._bars), leave=True, dynamic_ncols=True,
                                           mininterval=0.5)
            return
        if total is not None and bar.total != total:
            bar.total = total
        if bar.n == 0 and done and total is None:  # the first full batch: measure the rate from here
            bar.n = bar.last_print_n = bar.initial = done
            bar.start_t = bar.last_print_t = bar._time()
            bar.refresh()
            return
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.refresh()

    def close(self) -> None:
        """Close every bar."""
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()

    def __enter__(self) -> StageBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
