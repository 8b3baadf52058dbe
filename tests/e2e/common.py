"""Shared helpers of the end-to-end tests: where things are, running commands, the
"ok - name" / "FAIL - name: why" report and its closing "N passed, M failed" line, and
text comparisons that ignore line breaks, hyphenation and typographic spaces."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLASSEUR = os.environ.get("CLASSEUR") or os.path.join(ROOT, "build", "classeur")  # make check: the sanitized one
COURSE = os.path.join(ROOT, "data", "courses", "bts-sp3s-module-c.yaml")
_counts = {"passed": 0, "failed": 0}

# The tests compare the messages in English, whatever the machine's language; the French
# ones are compared by test_messages.py, which sets LANG itself.
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"


def check(name, cond, why=""):
    """Record one check; why is printed (cut to 600 characters) when it fails."""
    if cond:
        _counts["passed"] += 1
        print(f"ok - {name}")
    else:
        _counts["failed"] += 1
        print(f"FAIL - {name}: {str(why)[:600]}")


def finish():
    """Print the closing line; the exit status for sys.exit."""
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    return 1 if _counts["failed"] else 0


def bad_data(tmp, case, tag=""):
    """A data folder in tmp: tests/data/good with the bad-data case's files over it (its
    expected outputs left out)."""
    import shutil
    good = os.path.join(ROOT, "tests", "data", "good")
    src = os.path.join(ROOT, "tests", "data", "bad", case)
    d = os.path.join(tmp, "data-" + case + tag)
    shutil.copytree(good, d)
    for root, _dirs, files in os.walk(src):
        for f in files:
            if f.startswith("expected"):
                continue
            rel = os.path.relpath(os.path.join(root, f), src)
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            shutil.copy(os.path.join(root, f), os.path.join(d, rel))
    return d


def run(args, env=None, **kw):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(args, capture_output=True, text=True, env=e, **kw)


def squash(s):
    """Compare texts whatever the line breaks, hyphenation and typographic spaces."""
    s = s.replace("\u2019", "'").replace("\u00a0", "").replace("\u202f", "")
    s = s.replace("\u2013", "-").replace("\u2026", "...")
    return re.sub(r"[\s\-]+", "", s)


def n_pages(pdf):
    return int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf]).stdout).group(1))


def page_text(pdf, p, layout=False):
    args = ["pdftotext", "-f", str(p), "-l", str(p)] + (["-layout"] if layout else []) + [pdf, "-"]
    return run(args).stdout


def decode_qr(pdf, png_dir):
    """Every QR code of every page (rendered at 150 dpi into png_dir), in page order."""
    os.makedirs(png_dir, exist_ok=True)
    run(["pdftoppm", "-r", "150", "-png", pdf, os.path.join(png_dir, "p")])
    out = []
    for png in sorted(os.listdir(png_dir)):
        z = run(["zbarimg", "--nodbus", "--raw", "-q", os.path.join(png_dir, png)])
        out += [l for l in z.stdout.splitlines() if l]
    return out


def printed(text):
    """A data text as documents print it, for comparisons with squash(): the accented
    capitals of typography/capitals.txt ("Etat" → "État") and French quotes for straight
    ones (docs/typography.md)."""
    out = text
    for line in open(os.path.join(ROOT, "typography", "capitals.txt"), encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        frm, to = line.rstrip("\n").split("\t")
        out = re.sub(r"(?<![\w'’])" + re.escape(frm) + (r"(?!\w)" if frm[-1].isalnum() else ""), to, out)
    opened = False
    chars = []
    for ch in out:
        if ch == '"':
            chars.append("»" if opened else "«")
            opened = not opened
        else:
            chars.append(ch)
    return "".join(chars)
