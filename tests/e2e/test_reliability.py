"""Reliability: what happens to a user's files when things go wrong (issue 13).

- check and build agree on every case of the bad-data corpus (tests/data/bad): build
  never fails where check passed, and where check finds errors build refuses and writes
  nothing;
- a character no font has: check names it at its FILE:LINE:COL (exact messages), build
  refuses it; an address too long for a QR code: a warning, printed without a code;
- broken fonts (missing, cut short, not a file, not a font, unreadable) and a layout
  naming an unknown font: one clear error, nothing written;
- interrupted runs (SIGINT to the process group as Ctrl-C does, SIGTERM to the program
  alone) at several points of `build --all`, one job and two: exit 130 or 143, a line
  saying what was done, no temporary file left, every PDF complete, and as many PDFs
  replaced as the line says;
- a file size limit (ulimit -f) and a read-only output folder: exit 1, a clear message,
  the previous PDFs byte-identical.
Runs from the repository root with build/classeur built."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from common import bad_data, CLASSEUR, ROOT, check, decode_qr, finish, run, squash  # noqa: E402

GOOD = os.path.join(ROOT, "tests", "data", "good")
BAD = os.path.join(ROOT, "tests", "data", "bad")
TMP = tempfile.mkdtemp(prefix="classeur-reliability-")
os.chmod(TMP, 0o755)  # the read-only and unreadable cases run as another user when root


def data_with(case, tag=""):
    """A data folder: tests/data/good with the case's files over it."""
    return bad_data(TMP, case, tag)


def files_under(d):
    out = []
    for root, _dirs, files in os.walk(d):
        out += [os.path.join(root, f) for f in files]
    return sorted(out)


def pdf_complete(path):
    return run(["qpdf", "--check", path]).returncode == 0


# ---- check and build agree on the bad-data corpus --------------------------------------

for case in sorted(os.listdir(BAD)):
    if not os.path.isdir(os.path.join(BAD, case)):
        continue
    d = data_with(case)
    out = os.path.join(TMP, "out-" + case)
    c = run([CLASSEUR, "check", "--data", d])
    b = run([CLASSEUR, "build", "--all", "--data", d, "--out", out])
    errors = [l for l in c.stderr.splitlines() if ": error: " in l]
    only_courses = errors and all(re.match(re.escape(d) + r"/courses/[^/]+\.yaml:", l) for l in errors)
    if c.returncode == 0:
        check(f"{case}: check passes, so build succeeds", b.returncode == 0, b.stderr)
    elif only_courses:  # a course file's errors stop that course only
        check(f"{case}: errors in a course file: build --all exits 1 saying which course files were left out",
              b.returncode == 1 and re.search(r"course files? ha(s|ve) errors and (is|are) not built: .*/courses/",
                                              b.stderr) is not None, b.stderr)
        binder = os.path.join(out, "dossier", "binder.pdf")
        check(f"{case}: the others are built (the dossier binder)", os.path.exists(binder) and pdf_complete(binder))
    else:
        check(f"{case}: check refuses, and so does build", b.returncode == 1, b.stderr)
        check(f"{case}: build refused, nothing written", not os.path.exists(out), files_under(out))
        check(f"{case}: build says nothing was written", "nothing was written" in b.stderr, b.stderr)
    check(f"{case}: check never crashes", c.returncode in (0, 1), c.returncode)
    check(f"{case}: build never crashes", b.returncode in (0, 1), b.returncode)


# ---- characters no font has -------------------------------------------------------------

d = data_with("unprintable-character", "-2")
c = run([CLASSEUR, "check", "--data", d])
expected = open(os.path.join(BAD, "unprintable-character", "expected.txt"), encoding="utf-8").read()
got = "".join(l + "\n" for l in c.stderr.replace(d, "DATA").splitlines() if ": error: " in l or ": warning: " in l)
check("unprintable: check prints every character no font has, at its place, with its name", got == expected,
      f"got:\n{got}\nexpected:\n{expected}")
check("unprintable: check counts 2 errors", "2 errors" in c.stdout, c.stdout)
b = run([CLASSEUR, "build", os.path.join(d, "courses", "c.yaml"), "--data", d, "--out", os.path.join(TMP, "o-unpr")])
check("unprintable: build refuses with the same errors", b.returncode == 1 and
      f"{d}/sections/a.yaml:11:15: error: 'text' of a note holds U+1F9EC" in b.stderr and
      "the data has 2 errors; nothing was written" in b.stderr, b.stderr)
check("unprintable: build wrote nothing", not os.path.exists(os.path.join(TMP, "o-unpr")))

# ---- an address too long for a QR code --------------------------------------------------

d = data_with("address-too-long", "-2")
long_url = next(l.split("url: ", 1)[1].strip() for l in open(os.path.join(d, "resources", "a.yaml"), encoding="utf-8")
                if "url: " in l and len(l) > 2400)
out = os.path.join(TMP, "o-long")
b = run([CLASSEUR, "build", "--all", "--data", d, "--out", out, "--jobs", "1"])
check("long address: build succeeds", b.returncode == 0, b.stderr)
check("long address: build warns it is printed without a code",
      f"address of {len(long_url.encode())} bytes, too long for a QR code (at most 2331), printed without a code"
      in b.stderr, b.stderr)
binder = os.path.join(out, "dossier", "binder.pdf")
check("long address: the binder is complete", pdf_complete(binder))
codes = decode_qr(binder, os.path.join(TMP, "png-long"))
check("long address: the other addresses still have their codes", "https://www.insee.fr/fr/statistiques/4241397" in codes,
      codes)
check("long address: no code for the long one", long_url not in codes, codes)
text = squash(run(["pdftotext", binder, "-"]).stdout)
check("long address: the address itself is printed", squash(long_url[:200]) in text)


# ---- fonts ------------------------------------------------------------------------------

def project_with(fonts_change, name):
    """A copy of the program with its own fonts/ folder (changed by fonts_change(dir))
    and the real layouts and data: the program finds its files next to itself."""
    p = os.path.join(TMP, "project-" + name)
    os.makedirs(os.path.join(p, "build"))
    shutil.copy(CLASSEUR, os.path.join(p, "build", "classeur"))
    shutil.copytree(os.path.join(ROOT, "fonts"), os.path.join(p, "fonts"))
    for sub in ("layouts", "data", "typography"):
        os.symlink(os.path.join(ROOT, sub), os.path.join(p, sub))
    fonts_change(os.path.join(p, "fonts"))
    return p


def cut(n):
    def change(fonts):
        f = os.path.join(fonts, "LiberationSerif-Bold.ttf")
        data = open(f, "rb").read()[:n]
        open(f, "wb").write(data)
    return change


def replace_with_folder(fonts):
    f = os.path.join(fonts, "LiberationSerif-Bold.ttf")
    os.remove(f)
    os.mkdir(f)


def not_a_font(fonts):
    open(os.path.join(fonts, "DejaVuSans.ttf"), "w").write("<html>404 Not Found</html>\n")


def unreadable(fonts):
    os.chmod(os.path.join(fonts, "DejaVuSans.ttf"), 0)


AS_OTHER = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.geteuid() == 0 else []

font_cases = [
    ("missing", lambda f: os.remove(os.path.join(f, "LiberationSerif-Italic.ttf")),
     "LiberationSerif-Italic.ttf: missing"),
    ("cut short", cut(300000),
     "LiberationSerif-Bold.ttf: cut short (300000 bytes, its table 'FFTM' ends at byte 370096)"),
    ("cut in its table directory", cut(40),
     "LiberationSerif-Bold.ttf: cut short (40 bytes, its table directory is incomplete)"),
    ("a folder", replace_with_folder, "LiberationSerif-Bold.ttf: not a file"),
    ("not a font", not_a_font, "DejaVuSans.ttf: not a TrueType font"),
    ("unreadable", unreadable, "DejaVuSans.ttf: cannot be read (Permission denied)"),
]
for name, change, why in font_cases:
    p = project_with(change, name.replace(" ", "-"))
    exe = os.path.join(p, "build", "classeur")
    out = os.path.join(p, "out")
    if name == "unreadable":
        os.chmod(p, 0o755)
        for dirpath, _dirs, _files in os.walk(p):
            os.chmod(dirpath, 0o777)
    pre = AS_OTHER if name == "unreadable" else []
    msg = (f"classeur: font file {p}/fonts/{why}; the fonts/ folder of Classeur must hold "
           f"{why.split(':')[0]} as distributed (fonts/README.md says where it comes from)\n")
    b = run(pre + [exe, "build", os.path.join(ROOT, "data", "courses", "bts-sp3s-module-c.yaml"), "--out", out])
    check(f"font {name}: build exits 1 with one clear message", b.returncode == 1 and b.stderr == msg,
          f"rc {b.returncode}: {b.stderr!r}, expected {msg!r}")
    check(f"font {name}: nothing written", not os.path.exists(out))
    c = run(pre + [exe, "check"])
    check(f"font {name}: check says so too", c.returncode == 1 and c.stderr == msg, f"rc {c.returncode}: {c.stderr!r}")

# ---- a layout naming a font that does not exist -----------------------------------------

lay = os.path.join(TMP, "comic.yaml")
with open(lay, "w", encoding="utf-8") as f:
    f.write("base: default\ntext:\n  body: {font: comic, size: 11, leading: 14}\n")
msg = f"{lay}:3:16: error: 'font' of text.body is 'comic' (accepted: serif, sans)"
out = os.path.join(TMP, "o-comic")
course = os.path.join(ROOT, "data", "courses", "bts-sp3s-module-c.yaml")
b = run([CLASSEUR, "build", course, "--layout", lay, "--out", out])
check("unknown font in a layout: build names the file, line and column", b.returncode == 1 and
      b.stderr == msg + "\n    3 |   body: {font: comic, size: 11, leading: 14}\n      |                ^\n"
                        "classeur: the layout has 1 error; nothing was written\n", repr(b.stderr))
check("unknown font in a layout: nothing written", not os.path.exists(out))
c = run([CLASSEUR, "check", course, "--layout", lay])
check("unknown font in a layout: check finds it too", c.returncode == 1 and msg in c.stderr, c.stderr)


# ---- interruptions ----------------------------------------------------------------------

def pdf_inodes(d):
    return {f: os.stat(f).st_ino for f in files_under(d) if f.endswith(".pdf")}


first = os.path.join(TMP, "o-int")
r = run([CLASSEUR, "build", "--all", "--out", first])
check("interrupt: a first full build", r.returncode == 0, r.stderr)
N = len(pdf_inodes(first))
interrupted = 0
for jobs in ("1", "2"):
    for sig in (signal.SIGINT, signal.SIGTERM):
        for after in (1, 3, 7, N):
            out = os.path.join(TMP, f"o-int-{jobs}-{sig.name}-{after}")
            shutil.copytree(first, out)
            before = pdf_inodes(out)
            proc = subprocess.Popen([CLASSEUR, "build", "--all", "--verbose", "--jobs", jobs, "--out", out],
                                    stderr=subprocess.PIPE, text=True, start_new_session=True)
            seen = 0
            lines = []
            for line in proc.stderr:
                lines.append(line)
                if re.match(r"\[\d+/\d+\] ", line):
                    seen += 1
                    if seen == after:
                        if sig == signal.SIGINT:
                            os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole group
                        else:
                            os.kill(proc.pid, sig)  # kill reaches the program alone
                        break
            rest = proc.stderr.read()
            rc = proc.wait()
            err = "".join(lines) + rest
            tag = f"interrupt {sig.name} after line {after}, --jobs {jobs}"
            left = [f for f in files_under(out) if not f.endswith(".pdf")]
            check(f"{tag}: no temporary file left", not left, left)
            bad = [f for f in files_under(out) if not pdf_complete(f)]
            check(f"{tag}: every PDF complete", not bad, bad)
            check(f"{tag}: the same PDFs are there", sorted(pdf_inodes(out)) == sorted(before))
            if rc == 0:
                check(f"{tag}: finished before the signal, untouched by it", "interrupted" not in err, err)
                continue
            interrupted += 1
            want = 130 if sig == signal.SIGINT else 143
            check(f"{tag}: exit status {want}", rc == want, f"rc {rc}")
            m = re.search(r"classeur: interrupted \((Ctrl-C|SIGTERM)\): (.*)", err)
            check(f"{tag}: one line says what was done", m is not None, err)
            if not m:
                continue
            replaced = sum(1 for f, ino in pdf_inodes(out).items() if before[f] != ino)
            said = m.group(2)
            if said.startswith("no document") or said.startswith("nothing"):
                n_said = 0
            elif said.startswith("all "):
                n_said = N
            else:
                n_said = int(said.split(" of ")[0])
            check(f"{tag}: as many PDFs replaced as it says ({said})", replaced == n_said, f"{replaced} replaced")
check(f"interrupt: most runs were interrupted ({interrupted} of 16)", interrupted >= 12, interrupted)

# previews: every page waits in a temporary file until the last is made
pv = os.path.join(TMP, "o-preview")
r = run([CLASSEUR, "preview", "--dossier", "--png", pv, "--dpi", "60"])
old_pages = sorted(os.listdir(pv))
check("interrupt preview: a first preview", r.returncode == 0 and len(old_pages) > 20, r.stderr)
proc = subprocess.Popen([CLASSEUR, "preview", "--dossier", "--png", pv, "--dpi", "60"], stderr=subprocess.PIPE,
                        text=True)
time.sleep(0.4)
proc.send_signal(signal.SIGINT)
err = proc.stderr.read()
rc = proc.wait()
check("interrupt preview: exit 130", rc == 130, f"rc {rc}: {err}")
check("interrupt preview: says nothing was written", "classeur: interrupted (Ctrl-C): nothing was written" in err, err)
check("interrupt preview: the previous pages, and no temporary file", sorted(os.listdir(pv)) == old_pages,
      sorted(set(os.listdir(pv)) ^ set(old_pages)))


# ---- a full disk (a file size limit) and a read-only folder -----------------------------

def snapshot(d):
    return {f: open(f, "rb").read() for f in files_under(d)}


out = os.path.join(TMP, "o-full")
shutil.copytree(first, out)
old = snapshot(out)
old_inodes = pdf_inodes(out)
# ulimit -f counts 512-byte blocks in dash: 140 blocks = 70 KB, less than the binders
r = run(["sh", "-c", f"ulimit -f 140; exec '{CLASSEUR}' build --all --jobs 1 --out '{out}'"])
check("file size limit: exit 1", r.returncode == 1, f"rc {r.returncode}: {r.stderr}")
m = re.search(r"classeur: (.*/binder\.pdf): cannot write \(File too large\); any previous version of it is kept", r.stderr)
check("file size limit: says which file could not be written and why", m is not None, r.stderr)
failed_pdf = m.group(1) if m else None
check("file size limit: says how far it went",
      re.search(r"classeur: stopped: \d+ of 13 documents written \(\d+ pages\) in ", r.stderr) is not None, r.stderr)
new = snapshot(out)
check("file size limit: no temporary file left", sorted(new) == sorted(old), sorted(set(new) ^ set(old)))
# the same file (inode: a rewritten PDF is a new file renamed over the old one), same bytes
check("file size limit: the PDF it could not write is the previous one, untouched",
      failed_pdf in new and new[failed_pdf] == old[failed_pdf] and
      os.stat(failed_pdf).st_ino == old_inodes[failed_pdf], failed_pdf)
check("file size limit: the PDFs it wrote before are complete",
      all(pdf_complete(f) for f, ino in pdf_inodes(out).items() if ino != old_inodes[f]))
r = run(["sh", "-c", f"ulimit -f 60; exec '{CLASSEUR}' build --all --jobs 2 --out '{out}'"])
check("file size limit, two jobs: exit 1", r.returncode == 1, r.stderr)
check("file size limit, two jobs: previous PDFs byte-identical or complete",
      sorted(snapshot(out)) == sorted(old) and all(pdf_complete(f) for f in files_under(out)))

# previews: every page waits in a temporary file until the last is made
pv = os.path.join(TMP, "o-preview-full")
r = run([CLASSEUR, "preview", course, "--kind", "study", "--png", pv, "--dpi", "60"])
old = snapshot(pv)
r = run(["sh", "-c", f"ulimit -f 40; exec '{CLASSEUR}' preview '{course}' --kind study --png '{pv}' --dpi 100"])
check("file size limit, preview: exit 1, the file and the cause, nothing changed",
      r.returncode == 1 and re.search(r"classeur: .*/study-\d\d\.png: cannot write \(File too large\); no picture was "
                                      r"written, the previous ones are kept", r.stderr) is not None, r.stderr)
check("file size limit, preview: the previous pictures byte-identical, no temporary file", snapshot(pv) == old,
      sorted(set(snapshot(pv)) ^ set(old)))

ro = os.path.join(TMP, "o-ro")
shutil.copytree(first, ro)
old = snapshot(ro)
for dirpath, dirs, _files in os.walk(ro):
    os.chmod(dirpath, 0o555)
os.chmod(TMP, 0o755)
r = run(AS_OTHER + [CLASSEUR, "build", "--all", "--out", ro])
check("read-only folder: exit 1", r.returncode == 1, f"rc {r.returncode}: {r.stderr}")
check("read-only folder: says why", "cannot create a temporary file beside it (Permission denied)" in r.stderr and
      f"classeur: stopped: no document was written; {ro} is as it was" in r.stderr, r.stderr)
check("read-only folder: the previous PDFs byte-identical", snapshot(ro) == old)
for dirpath, dirs, _files in os.walk(ro):
    os.chmod(dirpath, 0o755)

# an output folder that cannot be made: the folder at fault and its own cause
locked = os.path.join(TMP, "locked")
os.makedirs(locked)
os.chmod(locked, 0o555)
deep = os.path.join(locked, "a", "b")
r = run(AS_OTHER + [CLASSEUR, "build", course, "--out", deep])
check("output folder that cannot be made: the real cause, not ENOENT",
      r.returncode == 1 and f"cannot create folder {locked}/a (Permission denied)" in r.stderr, r.stderr)
afile = os.path.join(TMP, "a-file")
open(afile, "w").close()
r = run([CLASSEUR, "build", course, "--out", os.path.join(afile, "x")])
check("output folder under a file: says so", r.returncode == 1 and f"cannot create folder: {afile} is a file" in r.stderr,
      r.stderr)
os.chmod(locked, 0o755)

shutil.rmtree(TMP, ignore_errors=True)
sys.exit(finish())
