"""make bench: Classeur against Typst and XeLaTeX on the same content (bench/README.md).

Cases: the module C handout, the whole-dossier binder, and synthetic dossiers of about
1,000 and 10,000 entries (bench/gen_dossier.py: the real dossier repeated). For each case
the content Classeur typesets is written as a Typst and a LaTeX document
(bench/peers.py, from `classeur list --json`). Each tool runs once to warm up, then
BENCH_RUNS times (default 5), interleaved (every tool once per round); the figures are
the median wall time, the peak resident memory (largest of the runs, children
included), the PDF's size and its pages.

Environment: BENCH_RUNS (runs after the warm-up, at least 5 by default), BENCH_CASES
(comma-separated: handout,dossier,1k,10k), BENCH_XELATEX_10K=1 to also run XeLaTeX on
10,000 entries (about a quarter of an hour a run, so not by default).

Prints the table and writes bench/results.md with the machine it ran on."""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
CLASSEUR = os.path.join(ROOT, "build", "classeur")
FONTS = os.path.join(ROOT, "fonts")
COURSE = "bts-sp3s-module-c"
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "5")))
CASES = os.environ.get("BENCH_CASES", "handout,dossier,1k,10k").split(",")
XELATEX_10K = os.environ.get("BENCH_XELATEX_10K") == "1"
TIME = "/usr/bin/time"


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def timed(args, cwd=None, env=None):
    """(seconds, peak RSS in KB) of one run of args; raises on failure."""
    e = dict(os.environ)
    if env:
        e.update(env)
    t0 = time.perf_counter()
    r = subprocess.run([TIME, "-f", "%M"] + args, cwd=cwd, env=e, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-600:]}")
    rss = int(r.stderr.strip().splitlines()[-1])
    return dt, rss


def pages(pdf):
    m = re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout)
    return int(m.group(1)) if m else 0


class Tool:
    def __init__(self, name, prepare, command, pdf, skip=None):
        self.name, self.prepare, self.command, self.pdf, self.skip = name, prepare, command, pdf, skip
        self.times, self.rss = [], 0


def case_tools(case, work):
    """The three tools of a case: each a Tool with its command, working folder and PDF."""
    data = None
    if case in ("1k", "10k"):
        data = os.path.join(work, "data")
        copies = 8 if case == "1k" else 80
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_dossier.py"), str(copies), data], check=True)
    listing = [CLASSEUR, "list", "--json"] + (["--data", data] if data else [])
    cat = os.path.join(work, "catalogue.json")
    with open(cat, "w", encoding="utf-8") as f:
        f.write(run(listing).stdout)
    peers = os.path.join(work, "peers")
    args = [sys.executable, os.path.join(BENCH, "peers.py"), cat, peers, FONTS]
    if case == "handout":
        args += ["--course", COURSE]
    subprocess.run(args, check=True)
    out = os.path.join(work, "classeur-out")
    if case == "handout":
        cmd = [CLASSEUR, "build", os.path.join(ROOT, "data", "courses", COURSE + ".yaml"), "--kind", "handout",
               "--jobs", "1", "--out", out]
        pdf = os.path.join(out, COURSE, "handout.pdf")
    else:
        cmd = [CLASSEUR, "binder", "--out", out] + (["--data", data] if data else [])
        pdf = os.path.join(out, "dossier", "binder.pdf")
    tex = os.path.join(peers, "doc.tex")
    xelatex = ["sh", "-c", "rm -f doc.aux doc.toc && xelatex -interaction=batchmode -halt-on-error doc.tex >/dev/null"
               " && xelatex -interaction=batchmode -halt-on-error doc.tex >/dev/null"]
    skip_x = case == "10k" and not XELATEX_10K
    return [
        Tool("Classeur", None, (cmd, None), pdf),
        Tool("Typst", None, (["node", os.path.join(BENCH, "typst.js"), os.path.join(peers, "doc.typ"),
                              os.path.join(peers, "typst.pdf"), FONTS], peers), os.path.join(peers, "typst.pdf")),
        Tool("XeLaTeX", None, (xelatex, peers), os.path.join(peers, "doc.pdf"),
             skip="not run: about 13 minutes a run (BENCH_XELATEX_10K=1 runs it)" if skip_x else None),
    ], tex


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    osname = "?"
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    rev = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    typst = "?"
    try:
        pj = json.load(open(os.path.join(BENCH, "node_modules", "@myriaddreamin", "typst-ts-node-compiler",
                                         "package.json")))
        typst = pj["version"]
    except (OSError, ValueError, KeyError):
        pass
    xv = run(["xelatex", "--version"]).stdout.splitlines()[:1]
    node = run(["node", "--version"]).stdout.strip()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": f"{mem} MiB", "os": osname, "kernel": platform.release(),
        "classeur": rev, "typst": f"@myriaddreamin/typst-ts-node-compiler {typst} (Node.js {node})",
        "xelatex": xv[0] if xv else "?",
    }


LABEL = {"handout": "Module C handout (11 resources)", "dossier": "Whole-dossier binder (126 entries)",
         "1k": "Synthetic dossier, 1,008 entries", "10k": "Synthetic dossier, 10,080 entries"}


def main():
    for prog in (CLASSEUR, "node", "xelatex", "qrencode", "pdfinfo"):
        if not shutil.which(prog) and not os.path.exists(prog):
            sys.exit(f"bench: {prog} is missing (make bench installs what it needs: scripts/bench-deps.sh)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="classeur-bench-") as tmp:
        cases = []
        for case in CASES:
            work = os.path.join(tmp, case)
            os.makedirs(work)
            tools, _ = case_tools(case, work)
            cases.append((case, tools))
        # a warm-up round, then RUNS rounds; every tool once per round, cases in turn
        for rnd in range(RUNS + 1):
            for case, tools in cases:
                for t in tools:
                    if t.skip:
                        continue
                    cmd, cwd = t.command
                    dt, rss = timed(cmd, cwd=cwd)
                    if rnd:
                        t.times.append(dt)
                        t.rss = max(t.rss, rss)
                    print(f"  {case:8} {t.name:9} round {rnd}: {dt:8.3f} s", file=sys.stderr)
        for case, tools in cases:
            base = statistics.median(tools[0].times)
            for t in tools:
                if t.skip:
                    rows.append((case, t.name, None, None, None, None, None, t.skip))
                    continue
                med = statistics.median(t.times)
                rows.append((case, t.name, med, t.rss, os.path.getsize(t.pdf), pages(t.pdf),
                             med / base if t.name != "Classeur" else None, None))
    mach = machine()
    lines = ["| Case | Tool | Median time | Peak memory | PDF size | Pages | Time ÷ Classeur's |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for case, name, med, rss, size, npages, ratio, note in rows:
        if med is None:
            lines.append(f"| {LABEL[case]} | {name} | — | — | — | — | {note} |")
            continue
        t = f"{med * 1000:.0f} ms" if med < 10 else f"{med:.1f} s"
        lines.append(f"| {LABEL[case]} | {name} | {t} | {rss / 1024:.0f} MB | {size / 1024:.0f} KB | {npages} | "
                     + (f"{ratio:.1f}×" if ratio else "1") + " |")
    table = "\n".join(lines)
    print(table)
    md = ["# Benchmark results", "",
          "Written by `make bench` (bench/bench.py; how and why: bench/README.md). Median of "
          f"{RUNS} runs after a warm-up, the tools interleaved; peak memory is the largest resident "
          "size of the runs; \"Time ÷ Classeur's\" is how many times longer the tool took.", "",
          "Machine: " + ", ".join(f"{k} {v}" for k, v in mach.items()), "", table, ""]
    with open(os.path.join(BENCH, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print(f"\nwritten: {os.path.relpath(os.path.join(BENCH, 'results.md'), ROOT)}")


if __name__ == "__main__":
    main()
