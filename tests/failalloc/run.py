"""Every allocation of ours fails in turn (make check): no crash, no silent loss.

For each command below, Classeur runs once normally (counting the allocations its own
code makes), then once per allocation N with the N-th made to fail (failalloc.so, an
LD_PRELOAD library). Each run must either
- succeed with exactly the normal output (stdout, and the PDFs byte for byte: a failure
  some cache absorbed changes nothing), or
- exit 1 saying "out of memory", with no temporary file left and the previous PDFs
  untouched;
never crash, never succeed with less. STRIDE (default 1 for check, 3 for builds) tests
every STRIDE-th allocation. Usage: python3 tests/failalloc/run.py BUILD_DIR"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
CLASSEUR = os.path.join(BUILD, "classeur")
SHIM = os.path.join(BUILD, "failalloc.so")
COURSE = os.path.join(ROOT, "data", "courses", "bts-sp3s-module-c.yaml")
TMP = tempfile.mkdtemp(prefix="classeur-failalloc-")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764633600", LANG="C.UTF-8")  # the same dates in every PDF; English
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    ENV.pop(_var, None)


def outputs(out):
    got = {}
    for root, _dirs, files in os.walk(out):
        for f in files:
            p = os.path.join(root, f)
            got[os.path.relpath(p, out)] = hashlib.sha1(open(p, "rb").read()).hexdigest()
    return got


def run(args, out, fail_at=None, count=False):
    env = dict(ENV)
    if fail_at is not None or count:
        env["LD_PRELOAD"] = SHIM
    if fail_at is not None:
        env["FAIL_AT"] = str(fail_at)
    if count:
        env["FAIL_COUNT"] = "1"
    return subprocess.run([CLASSEUR] + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


failed = 0
commands = [
    ("check", ["check"], 1, False),
    ("build", ["build", COURSE, "--jobs", "1", "--out", "@OUT"], 3, True),
    ("binder of the dossier", ["binder", "--out", "@OUT"], 7, True),
]
for name, args, stride, writes in commands:
    stride = int(os.environ.get("STRIDE", stride))
    out = os.path.join(TMP, "out")
    shutil.rmtree(out, ignore_errors=True)
    a = [x.replace("@OUT", out) for x in args]
    normal = run(a, out, count=True)
    total = int(normal.stderr.rsplit("allocations: ", 1)[1].split()[0])
    want = outputs(out) if writes else None
    want_stdout = normal.stdout
    counts = {"succeeded": 0, "refused": 0}
    problems = []
    for n in range(1, total + 1, stride):
        r = run(a, out, fail_at=n)  # over the previous PDFs, which must survive a failure
        got = outputs(out) if writes else None
        if writes and got != want:  # (reported below) the next run starts from the normal PDFs again
            shutil.rmtree(out, ignore_errors=True)
            run(a, out)
        if r.returncode == 0:
            counts["succeeded"] += 1
            if r.stdout != want_stdout or got != want:
                problems.append(f"allocation {n}: succeeded with a different result")
        elif r.returncode == 1:
            counts["refused"] += 1
            if "out of memory" not in r.stderr:
                problems.append(f"allocation {n}: exit 1 without saying out of memory: {r.stderr[-300:]!r}")
            if writes and got != want:
                problems.append(f"allocation {n}: the previous PDFs changed or a temporary file is left: "
                                f"{sorted(set(got) ^ set(want))}")
        else:
            problems.append(f"allocation {n}: exit status {r.returncode}: {r.stderr[-300:]!r}")
    tested = len(range(1, total + 1, stride))
    if problems:
        failed += 1
        print(f"FAIL - {name}: {len(problems)} of {tested} failing allocations mishandled")
        for p in problems[:20]:
            print("   ", p)
    else:
        print(f"ok - {name}: {tested} of {total} allocations failed in turn: "
              f"{counts['succeeded']} absorbed (same result), {counts['refused']} refused with 'out of memory'")
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failed else 0)
