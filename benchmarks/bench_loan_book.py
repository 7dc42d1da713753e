"""Benchmark ``make_loan_book``: wall time and peak memory by book size.

Each run happens in a fresh subprocess so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) belongs to that run alone. The table
shows the median wall time of the runs (3 runs for the small sizes, 1 for 1,000,000
accounts), the peak RSS of the process, the RSS after the imports (the baseline) and
the number of repayment rows.

Usage::

    python benchmarks/bench_loan_book.py            # 10k, 100k, 1M accounts
    python benchmarks/bench_loan_book.py 10000 50000
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

N_MONTHS = 24
SIZES = (10_000, 100_000, 1_000_000)

CHILD = """
import json, resource, time
from loanrisk.datasets import make_loan_book
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
book = make_loan_book(n_accounts={n}, n_months={months}, random_state=0)
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_kib": peak, "base_kib": base,
                  "rows": len(book.repayments),
                  "accepted": int(book.applications["accepted"].sum())}}))
"""


def run_once(n_accounts: int) -> dict[str, float]:
    code = CHILD.format(n=n_accounts, months=N_MONTHS)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(sizes: tuple[int, ...]) -> None:
    header = (
        f"{'n_accounts':>11} {'runs':>4} {'median s':>9} {'peak RSS MiB':>13} "
        f"{'base RSS MiB':>13} {'rows':>10} {'rows/s':>11}"
    )
    print(f"make_loan_book(n_accounts, n_months={N_MONTHS}, random_state=0)")
    print(header)
    print("-" * len(header))
    for n in sizes:
        runs = 1 if n >= 1_000_000 else 3
        results = [run_once(n) for _ in range(runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = max(r["peak_kib"] for r in results) / 1024
        base = max(r["base_kib"] for r in results) / 1024
        rows = int(results[0]["rows"])
        print(
            f"{n:>11,} {runs:>4} {seconds:>9.2f} {peak:>13.0f} {base:>13.0f} "
            f"{rows:>10,} {rows / seconds:>11,.0f}"
        )


if __name__ == "__main__":
    args = tuple(int(a) for a in sys.argv[1:]) or SIZES
    main(args)
