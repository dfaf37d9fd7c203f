"""Python benchmarks of aimscheck: `evaluate` on generated models, beside the Rust engine.

For each size N (number of processes), the model text comes from the release build of
`aimscheck-gen N 1` (the generator of bench/src/lib.rs, the same models as the criterion
benchmarks), and this script times, as the median of k runs with `time.perf_counter`:

- `json.loads(text)`: Python's own parse of the same text, for reference;
- `aimscheck.evaluate(text, as_of=...)`: JSON-text input, report returned as dicts;
- `aimscheck.evaluate(obj, as_of=...)`: dict input, the conversion from Python included;
- `Engine().evaluate(text, ...)` and `Engine().evaluate(obj, ...)`: a compiled engine;

and, in the same run, the Rust figures of `aimscheck-time` on the same file (parse, load,
evaluate, text -> report). Each Python figure is given as a ratio to the Rust text -> report
(load, evaluate, `to_json_pretty`); issue 7 targets <= 1.3.

Build the two binaries first (scripts/bench.sh does all of it):

    cargo build --release -p aimscheck-bench --bin aimscheck-gen --bin aimscheck-time
    python bench/python/bench.py [--sizes 100,10000] [--runs K] [--json]

k is 7 for N < 10,000 and 3 from there (or --runs). Needs the `aimscheck` package installed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List

import aimscheck

ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = "2026-06-30"  # aimscheck_bench::AS_OF: the date the generated models are meant for


def release_bin(name: str) -> pathlib.Path:
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = target / "release" / name
    if not path.is_file():
        sys.exit(
            f"error: {path} is missing; build it with "
            "`cargo build --release -p aimscheck-bench --bin aimscheck-gen --bin aimscheck-time`"
        )
    return path


def median_ms(runs: int, f: Callable[[], Any]) -> float:
    """Median of `runs` timings of `f()`, in ms. The result is freed outside the timing."""
    times: List[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
        del result
    return statistics.median(times) * 1e3


def runs_for(n: int, runs: int | None) -> int:
    return runs if runs else (7 if n < 10_000 else 3)


def bench_size(n: int, runs: int, gen: pathlib.Path, timer: pathlib.Path) -> Dict[str, Any]:
    text = subprocess.run([str(gen), str(n), "1"], check=True, capture_output=True, text=True).stdout
    obj = json.loads(text)
    engine = aimscheck.Engine()
    python = {
        "json.loads": median_ms(runs, lambda: json.loads(text)),
        "evaluate(text)": median_ms(runs, lambda: aimscheck.evaluate(text, as_of=AS_OF)),
        "evaluate(dict)": median_ms(runs, lambda: aimscheck.evaluate(obj, as_of=AS_OF)),
        "Engine().evaluate(text)": median_ms(runs, lambda: engine.evaluate(text, as_of=AS_OF)),
        "Engine().evaluate(dict)": median_ms(runs, lambda: engine.evaluate(obj, as_of=AS_OF)),
    }
    del obj
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        model = pathlib.Path(tmp, f"model-{n}.json")
        model.write_text(text, encoding="utf-8")
        out = subprocess.run(
            [str(timer), str(model), AS_OF, str(runs)], check=True, capture_output=True, text=True
        ).stdout
    rust: Dict[str, float] = json.loads(out)
    full = rust["text_to_report_ms"]
    return {
        "n": n,
        "bytes": len(text.encode("utf-8")),
        "runs": runs,
        "rust": rust,
        "python_ms": python,
        "ratio_to_rust_text_to_report": {k: v / full for k, v in python.items()},
    }


def print_table(results: List[Dict[str, Any]]) -> None:
    print(f"Python {sys.version.split()[0]}, aimscheck {aimscheck.__version__}; medians of k runs")
    print(f"{'N':>8}  {'k':>2}  {'measure':<34} {'ms':>12}  {'/ Rust text->report':>20}")
    for r in results:
        rust = r["rust"]
        full = rust["text_to_report_ms"]
        rows = [
            ("Rust serde_json parse (baseline)", rust["parse_ms"]),
            ("Rust load", rust["load_ms"]),
            ("Rust evaluate", rust["evaluate_ms"]),
            ("Rust text -> report", full),
        ] + [(f"Python {k}", v) for k, v in r["python_ms"].items()]
        for name, ms in rows:
            print(f"{r['n']:>8}  {r['runs']:>2}  {name:<34} {ms:>12.3f}  {ms / full:>19.2f}x")
        print(
            f"{'':>8}  {'':>2}  Rust text -> report / Rust parse: {full / rust['parse_ms']:.2f}x"
            f" ({r['bytes']} bytes)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,10000", help="comma-separated N (default 100,10000)")
    parser.add_argument("--runs", type=int, default=None, help="k (default 7 below N=10000, else 3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or any(n <= 0 for n in sizes) or (args.runs is not None and args.runs <= 0):
        parser.error("--sizes needs positive integers and --runs a positive integer")
    gen, timer = release_bin("aimscheck-gen"), release_bin("aimscheck-time")
    # Compile the default engine that evaluate() shares before any timing.
    aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF)
    results = [bench_size(n, runs_for(n, args.runs), gen, timer) for n in sizes]
    if args.json:
        print(json.dumps({"python": sys.version.split()[0], "results": results}, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
