"""Print-ready pages and French typography, in every layout: what a teacher about to
print 30 copies, and a librarian reading the references, check.

For the four courses' three documents and the whole-dossier binder, in default, dys,
large-print, eco and booklet (read from `classeur trace`, see pagequality.py):
- no stranded page (one or two lines) outside covers and dividers, no "(suite)" page
  holding only a box, no heading or caption as the last line of a page;
- no page left emptier than a layout allows before a page that could have started there
  (40 % of the text block; 55 % in large print, where a reference with its code fills
  half a page and may not be split);
- every QR code's symbol at least 20 mm;
- booklets: margins mirrored (the binding margin on the fold), a multiple of 4 pages,
  and the back cover holding the colophon with how to print, not a sheet;
- eco study sheets take fewer pages than the default ones;
- the running header never on covers, dividers, or above the handout's title.
Typography of every printed line (docs/typography.md): no straight double quote, no word
of typography/capitals.txt without its accent, no unit, "p." or "n°" cut from its number,
no lowercase month after a full stop, no address hyphenated or cut inside a word; the
author index of the whole binder has one heading per body.
From the PDFs: large print embeds no italic font; numbers and titles of the sommaire
never overlap (pdftotext -bbox), in every layout.

Each check prints "ok - name" or "FAIL - name: why"; the last line is
"N passed, M failed"."""
import glob
import multiprocessing
import os
import re
import sys
import tempfile

import pagequality
from common import CLASSEUR, ROOT, check, finish, run

LAYOUTS = ["default", "dys", "large-print", "eco", "booklet"]
KINDS = ["handout", "study", "binder"]
COURSES = sorted(glob.glob(os.path.join(ROOT, "data", "courses", "*.yaml")))
MM = 72 / 25.4


def test_checker_itself():
    """pagequality.py finds each kind of problem in a made-up trace (so a clean report
    means clean pages, not a blind checker)."""
    head = "classeur-trace 2\npages 4\n"
    body = "area {n} body 85.00 70.00 425.00 700.00\n"
    page = lambda n, lines: (f"page {n} 595.28x841.89 ops {len(lines)}\n" + body.format(n=n)
                             + "".join(f'text serif 10.50 85.00 {y:.2f} grey 0.00 "{t}"{tag}\n' for y, t, tag in lines))
    full = [(80 + 13.5 * i, f"ligne {i}", "") for i in range(50)]
    t = head + page(1, full[:48] + [(80 + 13.5 * 49, "Questions", " caption")])
    t += page(2, [(80, "Une ressource (suite)", ""), (94, "Mes notes", "")]).replace(
        "ops 2\n", "ops 3\n") + "frame 85.00 90.00 425.00 600.00 lw 0.60 grey 0.30\n"
    t += page(3, [(80, "fin d'une phrase.", "")])
    t += page(4, full[:20])
    found = pagequality.problems(t, 0.6, "made-up")
    kinds = ["caption or heading as the last line", "holding only a box", "stranded", "left empty"]
    check("the page checker finds a caption at a page foot, a '(suite)' page holding a box, a stranded "
          "page and a hole", all(any(k in f for f in found) for k in kinds), found)


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def capitals():
    """The unaccented forms of typography/capitals.txt, as regular expressions."""
    out = []
    for line in open(os.path.join(ROOT, "typography", "capitals.txt"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        frm = line.split("\t")[0].replace("'", "’")
        out.append(re.compile(r"(?<![\w’'])" + re.escape(frm) + (r"(?!\w)" if frm[-1].isalnum() else "")))
    return out


def typography_problems(name, out, caps):
    """Typographic faults of a trace's printed lines, one string each."""
    bad = []
    lines = []
    for a in pagequality.parse(out):
        for y, runs in a.body_lines():
            # the line's words (a glyph run holds several, parted by ordinary spaces;
            # no-break spaces stay inside their word)
            words = [w for w in " ".join(t for _, t, _ in runs).split(" ") if w]
            lines.append((a.page, words, runs[0][2]))
    for k, (page, ops, x) in enumerate(lines):
        text = " ".join(ops).replace("\u00a0", " ").replace("\u202f", " ")
        where = f"{name} page {page}: {text[:70]!r}"
        if '"' in text:
            bad.append(f"{where}: straight double quote")
        for rx in caps:
            if rx.search(text):
                bad.append(f"{where}: '{rx.pattern}' without its accent")
        if re.search(r"\. (" + MONTHS + r") \d{4}", text):
            bad.append(f"{where}: lowercase month after a full stop")
        if ops and re.match(r"\s*[%€]", ops[0]):
            bad.append(f"{where}: a unit starts the line, cut from its number")
        if any(o.strip() in ("p.", "n°", "pp.") for o in ops):
            bad.append(f"{where}: 'p.' or 'n°' cut from its number")
        last = ops[-1].rstrip() if ops else ""
        if re.search(r"[./]\S*-$", last) and "://" in "".join(ops) + last:
            bad.append(f"{where}: address hyphenated at the line end")
        # an address printed under a code, one piece a line: the next piece (in the same
        # column, centred under the code) starts at a break point, never inside a word
        below = [l for l in lines[k + 1:k + 4] if l[0] == page and len(l[1]) == 1 and abs(l[2] - x) < 60]
        if below and len(ops) == 1 and re.fullmatch(r"[\w.-]+\.[\w.-]*[A-Za-z0-9]", last) \
                and re.match(r"[a-z0-9]", below[0][1][0]):
            bad.append(f"{where}: address cut inside a word ({last!r} / {below[0][1][0]!r})")
    return bad


def fold(s):
    import unicodedata
    s = unicodedata.normalize("NFD", s.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+", s)
    return " ".join(w for w in words if w not in ("le", "la", "les", "l", "un", "une", "des", "du"))


def trace(case):
    course, kind, layout = case
    args = [CLASSEUR, "trace"] + ([course, "--kind", kind] if course else ["--dossier"]) + ["--layout", layout]
    r = run(args)
    name = f"{os.path.basename(course)[:-5] if course else 'dossier'} {kind} {layout}"
    return name, layout, kind, r.returncode, r.stdout, r.stderr


def test_traces():
    cases = [(c, k, l) for l in LAYOUTS for c in COURSES for k in KINDS] + [(None, "binder", l) for l in LAYOUTS]
    with multiprocessing.Pool() as pool:
        results = pool.map(trace, cases)
    failed = [(n, e) for n, _, _, rc, _, e in results if rc != 0]
    check(f"trace of {len(cases)} documents exits 0", not failed, failed[:3])
    bad, warnings, small_codes, mirror, backs, furniture = [], [], [], [], [], []
    pages = {}
    for name, layout, kind, rc, out, err in results:
        if rc != 0:
            continue
        if err.strip():
            warnings.append(f"{name}: {err.strip()}")
        min_fill = 0.45 if layout == "large-print" else 0.60
        bad += pagequality.problems(out, min_fill, name)
        pages[name] = int(re.search(r"^pages (\d+)$", out, re.M).group(1))
        for m in re.finditer(r"^qr [\d.-]+ [\d.-]+ module ([\d.]+) width (\d+)", out, re.M):
            side = float(m.group(1)) * int(m.group(2))
            if side < 20 * MM - 0.3:  # the trace rounds the module to 0.01 pt
                small_codes.append(f"{name}: {side / MM:.1f} mm")
        areas = pagequality.parse(out)
        for a in areas:
            tops = [t for t in a.texts if t[3] < a.y - 1]  # text above the text block: a header
            if a.role in ("cover", "divider", "title", "colophon", "blank") and tops:
                furniture.append(f"{name} page {a.page}: {a.role} page with a header: {tops[0][4]!r}")
        if layout == "booklet":
            half = 841.89 / 2
            for a in areas:
                if not a.page:
                    continue
                left = a.x - (half if a.index else 0)
                right = half - left - a.w
                inner, outer = (left, right) if a.page % 2 else (right, left)
                if abs(inner - 18 * MM) > 1.5 or abs(outer - 12 * MM) > 1.5:
                    mirror.append(f"{name} page {a.page}: inner {inner / MM:.1f} mm, outer {outer / MM:.1f} mm")
            n = len([a for a in areas if a.page])
            back = max((a for a in areas if a.page), key=lambda a: a.page, default=None)
            text = re.sub(r"\s+", "", "".join(t[4] for t in back.texts)) if back else ""
            if n % 4 or back is None or back.role != "colophon" or "Pourimprimercelivret" not in text \
                    or "retournementsurlebordlong" not in text:
                backs.append(f"{name}: {n} pages, back cover {back.role if back else None}: {text[:80]!r}")
    caps = capitals()
    typo = []
    for name, layout, kind, rc, out, err in results:
        if rc == 0:
            typo += typography_problems(name, out, caps)
    check(f"typography of every printed line of the {len(results)} documents (quotes, accented capitals, "
          "numbers with their units, capitals after a full stop, addresses)", not typo,
          "\n".join(typo[:20]) + f"\n({len(typo)} problems)")
    whole = next(out for name, _, _, rc, out, _ in results if name == "dossier binder default")
    entries, inside = [], False
    for a in pagequality.parse(whole):
        for y, runs in a.body_lines():
            line = " ".join(t.strip() for _, t, _ in runs)
            if line.startswith("Index des auteurs"):
                inside = True
            elif line.startswith("Index par diplôme"):
                inside = False
            elif inside and len(line) > 1 and not runs[0][0]:  # an entry, not a letter heading
                entries.append(re.sub(r"[\s\d,]+$", "", line.replace("\u00a0", " ")))
    folded = {}
    for e in entries:
        folded.setdefault(fold(e), set()).add(e)
    check("author index: one heading per body (no two entries differing only by case, accents or articles)",
          len(entries) > 40 and not [v for v in folded.values() if len(v) > 1],
          [v for v in folded.values() if len(v) > 1][:5])
    check("no stranded page, no '(suite)' page holding only a box, no caption at a page foot, no page left "
          "emptier than its layout allows", not bad, "\n".join(bad[:25]) + f"\n({len(bad)} problems)")
    check("no pagination warning (no unit taller than a page)", not warnings, warnings[:5])
    check("every QR code is at least 20 mm", not small_codes, small_codes[:5])
    check("booklets: binding margin on the fold side of every page (18 mm inner, 12 mm outer)", not mirror,
          mirror[:5])
    check("booklets: a multiple of 4 pages, the back cover is the colophon saying how to print", not backs, backs)
    check("no running header on covers, dividers, title pages, blank pages or colophons", not furniture,
          furniture[:5])
    for c in COURSES:
        cid = os.path.basename(c)[:-5]
        check(f"eco study sheets of {cid} take fewer pages than the default ones "
              f"({pages.get(cid + ' study eco')} < {pages.get(cid + ' study default')})",
              pages.get(f"{cid} study eco", 99) < pages.get(f"{cid} study default", 0))
    # one sheet a page when it fits: the default study sheets of module C have a page each
    check("default study sheets: one page per sheet (cover + 11 sheets)", pages.get("bts-sp3s-module-c study default") == 12,
          pages.get("bts-sp3s-module-c study default"))


def build(args):
    layout, tmp = args
    out = os.path.join(tmp, layout)
    r = run([CLASSEUR, "build", "--all", "--layout", layout, "--out", out])
    return layout, r.returncode, r.stderr, out


def sommaire_overlaps(pdf):
    """Words of a sommaire line that run into the next word (number into title)."""
    r = run(["pdftotext", "-bbox-layout", "-f", "2", "-l", "3", pdf, "-"])
    bad = []
    for line in re.findall(r"<line[^>]*>(.*?)</line>", r.stdout, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', line)
        for (a0, a1, at), (b0, b1, bt) in zip(words, words[1:]):
            if re.fullmatch(r"\d+(\.\d+)*", at) and float(a1) + 1.0 > float(b0):
                bad.append(f"{at!r} ends at {float(a1):.1f}, {bt!r} starts at {float(b0):.1f}")
    return bad


def test_pdfs(tmp):
    with multiprocessing.Pool() as pool:
        built = pool.map(build, [(l, tmp) for l in LAYOUTS])
    for layout, rc, err, out in built:
        check(f"build --all --layout {layout} exits 0", rc == 0, err)
    lp = [p for p in glob.glob(os.path.join(tmp, "large-print", "*", "*.pdf"))]
    italic = []
    for p in lp:
        fonts = run(["pdffonts", p]).stdout
        italic += [f"{os.path.relpath(p, tmp)}: {l.split()[0]}" for l in fonts.splitlines()[2:]
                   if re.search(r"Italic|Oblique", l)]
    check(f"large print: no italic font in its {len(lp)} PDFs", lp and not italic, italic[:5])
    overlaps = []
    for layout in ("default", "dys", "large-print", "eco"):
        for p in sorted(glob.glob(os.path.join(tmp, layout, "*", "binder*.pdf"))):
            overlaps += [f"{os.path.relpath(p, tmp)}: {b}" for b in sommaire_overlaps(p)]
    check("sommaires: no number runs into its title, in any layout", not overlaps, overlaps[:5])
    stranded = []
    for layout in ("default", "dys", "large-print", "eco"):
        for p in sorted(glob.glob(os.path.join(tmp, layout, "*", "binder*.pdf"))):
            stranded += [f"{os.path.relpath(p, tmp)}: {b}" for b in index_tops(p)]
    check("indexes: the last item of a group is never alone at the top of a page", not stranded, stranded[:5])
    check("the index check sees a stranded item", index_tops_of(["header", "  Le travail social        51", "Rapport (38)",
                                                                 "  Un rapport 3"]) != [])


def index_tops_of(lines):
    """The first item of an index page when it is alone before the next group's heading
    (headings start at the margin, items are indented) or the page's end. lines: the
    page's non-blank lines, running header first."""
    body = lines[1:]
    item = re.compile(r"^\s+\S.*\S\s{3,}\d+(, \d+)*$")  # indented, a gap (the leader), page numbers
    if body and item.match(body[0]) and (len(body) == 1 or not body[1].startswith(" ")):
        return [body[0].strip()]
    return []


def index_tops(pdf):
    """index_tops_of for every page after the one the indexes start on."""
    pages = run(["pdftotext", "-layout", pdf, "-"]).stdout.split("\f")
    # the last page naming the first index (the sommaire names it too)
    start = max((i for i, t in enumerate(pages) if "Index par type de ressource" in t), default=None)
    out = []
    for i in range(start + 1 if start is not None else len(pages), len(pages)):
        lines = [l for l in pages[i].splitlines() if l.strip()]
        out += [f"page {i + 1}: {x}" for x in index_tops_of(lines)]
    return out


def main():
    test_checker_itself()
    test_traces()
    with tempfile.TemporaryDirectory() as tmp:
        test_pdfs(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
