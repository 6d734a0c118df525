"""Read speed of the streaming readers on real corpora: papers per second and peak memory.

Each pass runs in a fresh process (so its peak RSS is its own): ``iter_corpus`` over every file
(papers built, nothing kept), ``scan_corpus`` over all files together (papers checked, duplicate
ids found), and a bare ``xz -dc``-style decompression of the same files for comparison. Prints the
median of N runs (default 3) of each.

    python benchmarks/bench_readers.py FILE... [--runs 3]
    python benchmarks/bench_readers.py ../shared/data/corpora/*/papers-000.jsonl.xz
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PASSES = {
    "decompress only": (
        "import lzma, gzip, sys\n"
        "from kg.corpus.source import Source\n"
        "total = 0\n"
        "for path in PATHS:\n"
        "    for _, block in Source(__import__('pathlib').Path(path)).byte_blocks():\n"
        "        total += block.count(b'\\n')\n"
        "papers = total\n"),
    "iter_corpus": (
        "from kg.corpus.readers import iter_corpus\n"
        "papers = sum(1 for path in PATHS for _ in iter_corpus(path))\n"),
    "scan_corpus": (
        "from kg.corpus.readers import scan_corpus\n"
        "report = scan_corpus(PATHS)\n"
        "papers = report.papers\n"
        "print('duplicates', len(report.duplicates), file=sys.stderr)\n"),
}
_FRAME = ("import json, re, sys, time\nPATHS = {paths!r}\nstarted = time.perf_counter()\n{body}"
          "seconds = time.perf_counter() - started\n"
          "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024\n"
          "print(json.dumps({{'papers': papers, 'seconds': seconds, 'peak_mb': peak}}))\n")


def run(name: str, paths: list[str]) -> dict[str, float]:
    code = _FRAME.format(paths=paths, body=PASSES[name])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'pass':<16} {'papers':>9} {'seconds':>8} {'papers/s':>9} {'peak MB':>8}   (median of {args.runs} runs)")
    for name in PASSES:
        results = [run(name, args.paths) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        papers = int(results[0]["papers"])
        label = "lines" if name == "decompress only" else "papers"
        print(f"{name:<16} {papers:>9,} {seconds:>8.1f} {papers / seconds:>9,.0f} {peak:>8.0f}   ({label})")


if __name__ == "__main__":
    main()
