"""make bench: how fast Classeur builds its documents, and how much memory it takes.

Runs each command several times (after one warm-up run), prints the median wall time,
pages per second and the peak resident memory of the slowest run. Numbers depend on the
machine; compare them on one machine before and after a change."""
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLASSEUR = os.path.join(ROOT, "build", "classeur")
COURSE = os.path.join(ROOT, "data", "courses", "bts-sp3s-module-c.yaml")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"Pages:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def bench(label, args, pdf):
    times = []
    peak = 0
    for i in range(RUNS + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        r = subprocess.run(args, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            print(f"{label}: failed: {r.stderr}")
            sys.exit(1)
        if i:
            times.append(dt)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    n = pages(pdf) if pdf else 0
    med = statistics.median(times)
    rate = f"{n / med:8.0f} pages/s" if n else ""
    print(f"{label:<44} {med * 1000:8.1f} ms  {n:4d} pages {rate}  peak RSS {peak / 1024:6.1f} MB")


def main():
    with tempfile.TemporaryDirectory() as out:
        print(f"classeur benchmarks, median of {RUNS} runs (BENCH_RUNS to change)")
        bench("check (load and check the whole dossier)", [CLASSEUR, "check"], None)
        for kind in ("handout", "study", "binder"):
            bench(f"{kind}, default course", [CLASSEUR, "build", COURSE, "--kind", kind, "--out", out],
                  os.path.join(out, "bts-sp3s-module-c", f"{kind}.pdf"))
        bench("whole-dossier binder", [CLASSEUR, "binder", "--out", out], os.path.join(out, "dossier", "binder.pdf"))
        bench("whole-dossier binder, eco layout", [CLASSEUR, "binder", "--layout", "eco", "--out", out],
              os.path.join(out, "dossier", "binder.pdf"))
        bench("build --all (13 documents)", [CLASSEUR, "build", "--all", "--out", out], None)


if __name__ == "__main__":
    main()
