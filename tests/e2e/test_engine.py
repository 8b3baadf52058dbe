"""The engine's promises, checked on the PDFs of every course in every layout:

- reading order: the text of every document, as a reader copies it (`pdftotext -raw`,
  which follows the content stream), has every question number before its question and
  every list dash before its item — never "échéance ?1." nor "pro-2. fessionnels";
- Ghostscript (`gs -sDEVICE=txtwrite`, what "compress PDF" tools are built on) reads the
  same characters as poppler: the ToUnicode maps are single-code bfchar maps;
- the catalog says the language (/Lang (fr-FR)) and asks viewers to show the title
  (/ViewerPreferences << /DisplayDocTitle true >>), and the trailer has an /ID derived
  from the content: the same document gives the same bytes, two documents two /IDs;
- `build --all --jobs N` writes the same bytes and prints the same progress lines as
  `--jobs 1`."""
import collections
import functools
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import CLASSEUR, COURSE, check, finish, printed, run, squash  # noqa: E402

LAYOUTS = ["default", "dys", "large-print", "booklet", "eco"]
DEFAULT_QUESTIONS = 3  # study sheets give a resource without questions three of its type's


def flat(text):
    """Text as read: words joined across line ends (a hyphen at a line end dropped),
    typographic spaces and apostrophes made plain, runs of spaces as one."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(\w)-\n", r"\1", text)
    return re.sub(r"\s+", " ", text)


@functools.lru_cache(maxsize=None)
def printed_once(s):
    return printed(s)


def head(s, words=3):
    return " ".join(flat(printed_once(s)).split()[:words])


def list_items(markup):
    return [l[2:] for l in (markup or "").split("\n") if l.startswith("- ")]


def marker_problems(pdf, cat, course):
    """Questions and list items of the document whose marker is not right before them."""
    raw = flat(run(["pdftotext", "-raw", pdf, "-"]).stdout)
    squashed = squash(raw)
    bad = []
    kind = os.path.basename(pdf)[:-4].split("-")[0]  # handout-eco.pdf: a handout in the eco layout
    res = {r["id"]: r for r in cat["resources"]}
    if course and kind in ("study", "handout"):
        for item in course["resources"]:
            qs = item.get("questions") or []
            for i, q in enumerate(qs, 1):
                want = f"{i}. {head(q)}"
                if want not in raw:
                    bad.append(f"{kind}: question {i} of {item['id']}: '{want}' not found")
            if kind == "study" and not qs and item["id"] in res:
                for i in range(1, DEFAULT_QUESTIONS + 1):
                    if not re.search(rf"(^| ){i}\. \w", raw):
                        bad.append(f"{kind}: default question {i} of {item['id']} not after its number")
    for s in cat["sections"]:
        for e in s["entries"]:
            texts = [(e.get("note") or {}).get("text")] + [x["text"] for x in e.get("extracts", [])]
            texts += [u.get("activity") for u in e.get("uses", [])]
            for t in texts:
                for it in list_items(t):
                    if squash(printed_once(it))[:40] not in squashed:
                        continue  # not in this document
                    want = f"\u2013 {head(it)}"
                    if want not in raw:
                        bad.append(f"{kind}: list item '{head(it, 6)}…' not after its dash")
    return bad


def test_reading_order(tmp, cat):
    problems = []
    n_docs = 0
    for layout in LAYOUTS:
        out = os.path.join(tmp, layout)
        r = run([CLASSEUR, "build", "--all", "--layout", layout, "--out", out])
        if r.returncode:
            problems.append(f"{layout}: build failed: {r.stderr[:200]}")
            continue
        for pdf in sorted(glob.glob(os.path.join(out, "*", "*.pdf"))):
            cid = os.path.basename(os.path.dirname(pdf))
            course = next((c for c in cat["courses"] if c["id"] == cid), None)
            problems += [f"{layout} {cid} {p}" for p in marker_problems(pdf, cat, course)]
            n_docs += 1
    check(f"reading order: every question number and list dash before its item, in all {n_docs} documents "
          "(pdftotext -raw)", n_docs == 13 * len(LAYOUTS) and not problems, problems[:8])
    return os.path.join(tmp, "default")


def test_ghostscript(out):
    bad = []
    for pdf in sorted(glob.glob(os.path.join(out, "*", "*.pdf")))[:6] + [os.path.join(out, "dossier", "binder.pdf")]:
        gs = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite", "-sOutputFile=-",
                             pdf], capture_output=True)
        poppler = run(["pdftotext", "-raw", pdf, "-"]).stdout  # -raw: hyphens kept, as gs
        a = collections.Counter(c for c in gs.stdout.decode("utf-8", "replace") if not c.isspace())
        b = collections.Counter(c for c in poppler if not c.isspace())
        wide = {c for c in b if ord(c) > 0xFF}
        if gs.returncode or a != b:
            diff = {c: (a[c], b[c]) for c in set(a) | set(b) if a[c] != b[c]}
            bad.append(f"{os.path.relpath(pdf, out)}: {sorted(diff.items())[:6]}")
        elif not {"’", "…", "–", "«"} <= wide | {"«"} and "binder" in pdf:
            bad.append(f"{pdf}: no character above U+00FF to check")
    check("Ghostscript's text (txtwrite) has the same characters as pdftotext's, ’ – … œ included", not bad, bad)


def test_catalog(out, tmp):
    pdf = os.path.join(out, "bts-sp3s-module-c", "handout.pdf")
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"], capture_output=True).stdout
    check("the catalog says the language: /Lang (fr-FR)", b"/Lang (fr-FR)" in qdf)
    check("viewers show the title: /ViewerPreferences << /DisplayDocTitle true >>",
          re.search(rb"/ViewerPreferences\s*<<\s*/DisplayDocTitle true\s*>>", qdf) is not None)
    ids = {}
    for name in ("a", "b"):
        d = os.path.join(tmp, f"id-{name}")
        run([CLASSEUR, "build", COURSE, "--out", d], env={"SOURCE_DATE_EPOCH": "1700000000"})
        for kind in ("handout", "study"):
            data = open(os.path.join(d, "bts-sp3s-module-c", f"{kind}.pdf"), "rb").read()
            m = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]", data)
            ids[(name, kind)] = (m.group(1) if m else None, data)
    check("every PDF has a document /ID", all(v[0] for v in ids.values()), [k for k, v in ids.items() if not v[0]])
    check("the same document twice: the same /ID and the same bytes",
          ids[("a", "handout")] == ids[("b", "handout")] and ids[("a", "study")] == ids[("b", "study")])
    check("two documents: two /IDs", ids[("a", "handout")][0] != ids[("a", "study")][0])


def test_fonts(out):
    """The device's own Type 0 fonts, as PDF 32000-1 (9.6.4, 9.7, 9.8) describes them."""
    bad, n = [], 0
    for pdf in [os.path.join(out, "dossier", "binder.pdf"), os.path.join(out, "bts-sp3s-module-c", "handout.pdf"),
                os.path.join(out, "bts-sp3s-module-c", "study.pdf")]:
        objs = json.loads(run(["qpdf", "--json", pdf]).stdout)["qpdf"][1]
        val = {k.split(":", 1)[1]: v.get("value") for k, v in objs.items() if k.startswith("obj:") and "value" in v}
        streams = {k.split(":", 1)[1] for k, v in objs.items() if k.startswith("obj:") and "stream" in v}
        name = os.path.relpath(pdf, out)
        for ref, f in val.items():
            if not (isinstance(f, dict) and f.get("/Type") == "/Font"):
                continue
            if f.get("/Subtype") != "/Type0":
                if f.get("/Subtype") != "/CIDFontType2":
                    bad.append(f"{name} {ref}: a {f.get('/Subtype')} font")
                continue
            n += 1
            base = f.get("/BaseFont", "")
            if not re.fullmatch(r"/[A-Z]{6}\+[A-Za-z0-9-]+", base):
                bad.append(f"{name} {ref}: BaseFont {base} is not TAG+PostScriptName")
            if f.get("/Encoding") != "/Identity-H" or f.get("/ToUnicode") not in streams:
                bad.append(f"{name} {ref}: encoding {f.get('/Encoding')}, ToUnicode {f.get('/ToUnicode')}")
            kids = f.get("/DescendantFonts", [])
            cid = val.get(kids[0]) if len(kids) == 1 else None
            if not cid or cid.get("/Subtype") != "/CIDFontType2" or cid.get("/BaseFont") != base:
                bad.append(f"{name} {ref}: descendant {kids}")
                continue
            info = cid.get("/CIDSystemInfo", {})
            if info.get("/Registry") != "u:Adobe" or info.get("/Ordering") != "u:Identity":
                bad.append(f"{name} {ref}: CIDSystemInfo {info}")
            if cid.get("/CIDToGIDMap") not in streams or not isinstance(cid.get("/W"), list):
                bad.append(f"{name} {ref}: CIDToGIDMap or W missing")
            d = val.get(cid.get("/FontDescriptor"), {})
            if (d.get("/Type") != "/FontDescriptor" or d.get("/FontName") != base or d.get("/FontFile2") not in streams
                    or not d.get("/CapHeight", 0) > 0 or not d.get("/Ascent", 0) > 0 or not d.get("/Descent", 0) < 0
                    or not d.get("/StemV", 0) > 0 or len(d.get("/FontBBox", [])) != 4):
                bad.append(f"{name} {ref}: descriptor {d}")
            italic = "Italic" in base
            if italic != bool(d.get("/Flags", 0) & 64) or italic != (d.get("/ItalicAngle", 0) < 0):
                bad.append(f"{name} {ref}: italic flag {d.get('/Flags')} and angle {d.get('/ItalicAngle')} for {base}")
    check(f"fonts: {n} Type 0 fonts with a subset tag, Identity-H, ToUnicode, an Adobe-Identity CIDFontType2, "
          "its widths, CIDToGIDMap and a full descriptor", n >= 8 and not bad, bad[:5])


def test_jobs(tmp):
    outs = {}
    for jobs in ("1", "2", "4"):
        d = os.path.join(tmp, f"jobs-{jobs}")
        r = run([CLASSEUR, "build", "--all", "--jobs", jobs, "--verbose", "--out", d],
                env={"SOURCE_DATE_EPOCH": "1700000000"})
        files = {os.path.relpath(p, d): open(p, "rb").read() for p in glob.glob(os.path.join(d, "*", "*.pdf"))}
        lines = [l for l in r.stderr.splitlines() if l.startswith("[")]
        outs[jobs] = (r.returncode, files, lines)
    check("build --all --jobs 1, 2, 4: the same 13 files, byte for byte",
          all(outs[j][0] == 0 and outs[j][1] == outs["1"][1] for j in outs) and len(outs["1"][1]) == 13,
          {j: (outs[j][0], len(outs[j][1])) for j in outs})
    check("build --all --jobs 1, 2, 4: the same progress lines in the same order",
          all(outs[j][2] == outs["1"][2] for j in outs) and len(outs["1"][2]) == 13, outs["4"][2][:4])
    r = run([CLASSEUR, "build", "--all", "--jobs", "0"])
    check("--jobs 0: a usage error naming what is accepted",
          r.returncode == 2 and "--jobs '0'" in r.stderr and "accepted" in r.stderr, r.stderr[:200])


def test_streaming_same(tmp):
    """A document small enough to hold is composed once and laid out twice; larger ones
    are composed in streaming passes (CLASSEUR_STREAM=1 forces them): both give the same
    pages, op for op."""
    bad = []
    cases = [(["--dossier"], "default"), ([COURSE, "--kind", "binder"], "eco"), ([COURSE, "--kind", "study"], "booklet"),
             ([COURSE, "--kind", "handout"], "large-print")]
    for args, layout in cases:
        held = run([CLASSEUR, "trace"] + args + ["--layout", layout])
        streamed = run([CLASSEUR, "trace"] + args + ["--layout", layout], env={"CLASSEUR_STREAM": "1"})
        if held.returncode or streamed.returncode or held.stdout != streamed.stdout or not held.stdout:
            bad.append(f"{' '.join(args)} {layout}: {held.returncode}/{streamed.returncode}, "
                       f"{len(held.stdout)} vs {len(streamed.stdout)} bytes")
    check("held and streaming composition give the same pages (dossier, course binder, study sheets, handout)",
          not bad, bad)


def main():
    cat = json.loads(run([CLASSEUR, "list", "--json"]).stdout)
    with tempfile.TemporaryDirectory() as tmp:
        out = test_reading_order(tmp, cat)
        test_ghostscript(out)
        test_catalog(out, tmp)
        test_fonts(out)
        test_jobs(tmp)
        test_streaming_same(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
