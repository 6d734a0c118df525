"""Start-up of the command line: whole-process ``kg --help`` against bare ``python -c pass``.

Prints the median of N runs (default 5) of each, and the modules of spaCy, NetworkX and the
Neo4j driver that ``kg --help`` loaded (none, when the command line stays thin).

    python benchmarks/bench_help.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from timing import median_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kg", nargs="*", default=[], help="Other kg executables to time beside this one.")
    args = parser.parse_args()
    kg = shutil.which("kg") or sys.exit("kg is not installed in this environment")
    for other in args.kg:
        seconds = median_seconds(lambda: subprocess.run([other, "--help"], check=True, capture_output=True), args.runs)
        print(f"{other} --help: {seconds:.3f} s (median of {args.runs})")
    bare = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), args.runs)
    helped = median_seconds(lambda: subprocess.run([kg, "--help"], check=True, capture_output=True), args.runs)
    probe = ("import sys; from kg.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print([m for m in ('spacy', 'networkx', 'neo4j', 'thinc') if m in sys.modules], file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stderr.strip()
    print(f"python -c pass: {bare:.3f} s   kg --help: {helped:.3f} s   (medians of {args.runs})")
    print(f"heavy modules loaded by kg --help: {loaded}")


if __name__ == "__main__":
    main()
