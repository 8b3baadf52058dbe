"""End-to-end tests of the layouts (issue 5): dys, large-print, booklet, eco, and the
messages for bad layout files. Font sizes are read with `mutool draw -F stext`, page
geometry with pdfinfo, positions with `pdftotext -bbox`, QR codes with zbarimg.

Prints "ok - name" / "FAIL - name: why" and ends with "N passed, M failed"."""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

from common import CLASSEUR, COURSE, ROOT, check, decode_qr, finish, n_pages, run


def build(tmp, layout, kind="handout", course=COURSE):
    out = os.path.join(tmp, f"{layout}-{kind}")
    args = [CLASSEUR, "build", course, "--kind", kind, "--layout", layout, "--out", out] if course else \
        [CLASSEUR, "binder", "--layout", layout, "--out", out]
    r = run(args)
    name = "dossier" if not course else "bts-sp3s-module-c"
    suffix = "" if layout == "default" else "-" + layout  # a document in another layout says so in its name
    return r, os.path.join(out, name, f"{kind}{suffix}.pdf")


def font_sizes(pdf):
    """(font name, size, characters) for every span of text."""
    x = run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf]).stdout
    spans = []
    for m in re.finditer(r'<font name="([^"]*)" size="([\d.]+)">(.*?)</font>', x, re.S):
        chars = len(re.findall(r"<char ", m.group(3)))
        spans.append((m.group(1), float(m.group(2)), chars))
    return spans


def test_dys(tmp):
    r, pdf = build(tmp, "dys")
    check("dys: build exits 0", r.returncode == 0, r.stderr)
    sizes = Counter()
    for name, size, chars in font_sizes(pdf):
        sizes[size] += chars
    body = sizes.most_common(1)[0][0]
    check("dys: body size within 12-14 pt", 12 <= body <= 14, sizes.most_common(4))
    fonts = {n for n, _, _ in font_sizes(pdf)}
    check("dys: sans-serif only, no italics", all("Sans" in f and "Italic" not in f for f in fonts), fonts)
    text = run(["pdftotext", "-layout", pdf, "-"]).stdout
    hyph = [l for l in text.splitlines() if re.search(r"[a-zàâçéèêëîïôûùüÿœ]-\s*$", l)]
    check("dys: no line ends with a hyphenated break", not hyph, hyph[:3])
    bbox = run(["pdftotext", "-bbox-layout", pdf, "-"]).stdout
    ends = [round(float(x)) for x in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', bbox)]
    check("dys: ragged right (line ends differ)", len(set(ends)) >= 8, Counter(ends).most_common(3))
    r, pdf = build(tmp, "dys", "study")
    check("dys: study sheets build", r.returncode == 0 and n_pages(pdf) >= 12, r.stderr)


def test_large_print(tmp):
    for kind in ("handout", "study"):
        r, pdf = build(tmp, "large-print", kind)
        check(f"large-print {kind}: build exits 0", r.returncode == 0, r.stderr)
        small = [(n, s) for n, s, c in font_sizes(pdf) if s < 18 and c > 0]
        check(f"large-print {kind}: no text under 18 pt", not small, Counter(small).most_common(5))
    r, pdf = build(tmp, "large-print", "handout")
    got = decode_qr(pdf, os.path.join(tmp, "lp-png"))
    cat = json.loads(run([CLASSEUR, "list", "--json"]).stdout)
    res = {x["id"]: x for x in cat["resources"]}
    course = next(c for c in cat["courses"] if c["id"] == "bts-sp3s-module-c")
    want = sorted(res[x["id"]]["url"] for x in course["resources"] if res[x["id"]].get("url"))
    check("large-print: every QR code decodes to the selection's addresses", len(want) >= 3 and sorted(got) == want,
          f"{sorted(got)} vs {want}")


def test_booklet(tmp):
    r, pdf = build(tmp, "booklet", "study")
    check("booklet: build exits 0", r.returncode == 0, r.stderr)
    info = run(["pdfinfo", "-f", "1", "-l", "999", pdf]).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    check("booklet: every sheet side is A4 landscape",
          sizes and all(abs(float(w) - 841.89) < 0.5 and abs(float(h) - 595.28) < 0.5 for w, h in sizes), sizes[:3])
    sides = len(sizes)
    check("booklet: the A5 page count is a multiple of 4", (2 * sides) % 4 == 0, sides)
    rots = re.findall(r"Page\s+\d+ rot:\s+(\d+)", info)
    check("booklet: backs turned for long-edge duplex", rots == ["0", "180"] * (sides // 2), rots)
    # the printed page numbers, as a reader sees each side (poppler applies /Rotate)
    bbox = run(["pdftotext", "-bbox", pdf, "-"]).stdout
    pages = bbox.split("<page ")[1:]
    n = 2 * sides
    bad = []
    for i, pg in enumerate(pages):
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', pg)
        found = {}
        for k, (x, w) in enumerate(words):
            if w == "page" and k + 2 < len(words) and words[k + 2][1] == "/":
                found["left" if float(x) < 420.9 else "right"] = int(words[k + 1][1])
        s = i // 2
        if i == 0:  # the cover (page 1) has no page number printed
            found.setdefault("right", 1)
        if i % 2 == 0:
            want = {"left": n - 2 * s, "right": 2 * s + 1}
        else:  # the back, turned: its right half is page 2s+2
            want = {"left": n - 2 * s - 1, "right": 2 * s + 2}
        total = int(re.search(r"page \d+ / (\d+)", run(["pdftotext", pdf, "-"]).stdout).group(1))
        want = {k: v for k, v in want.items() if v <= total}  # padding pages are blank
        if found != want:
            bad.append((i + 1, found, want))
    check("booklet: pages sit on the sheets in fold order", not bad, bad[:3])


def test_eco(tmp):
    r, pdf_eco = build(tmp, "eco", "binder", course=None)
    check("eco: whole-dossier binder builds", r.returncode == 0, r.stderr)
    r, pdf_def = build(tmp, "default", "binder", course=None)
    check("eco: fewer pages than default", n_pages(pdf_eco) < n_pages(pdf_def), (n_pages(pdf_eco), n_pages(pdf_def)))
    sizes = Counter()
    for n, s, c in font_sizes(pdf_eco):
        sizes[s] += c
    check("eco: body text at 9 pt", sizes.most_common(1)[0][0] == 9, sizes.most_common(3))
    small = [s for n, s, c in font_sizes(pdf_eco) if s < 6.5]
    check("eco: no text under 6.5 pt (printed addresses)", not small, Counter(small))
    got = decode_qr(pdf_eco, os.path.join(tmp, "eco-png"))
    want = decode_qr(pdf_def, os.path.join(tmp, "default-png"))
    check("eco: every QR code still decodes", sorted(got) == sorted(want) and len(got) >= 9, (len(got), len(want)))
    bbox = run(["pdftotext", "-bbox", "-f", "6", "-l", "6", pdf_eco, "-"]).stdout
    xs = sorted({round(float(x)) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)})
    check("eco: two columns of text", any(x > 300 for x in xs) and any(x < 100 for x in xs), xs[:5])


BAD = [
    ("unknown-key", "base: default\npage:\n  colour: red\n",
     "{f}:3:3: error: unknown key 'colour' in page (accepted: size, orientation, margins, columns, column_gap, booklet, flip)"),
    ("margins", "page:\n  size: A5\n  margins: {inner: 80, outer: 70}\n",
     "{f}:1:1: error: the margins leave -2 × 163 mm of a 148 × 210 mm page (at least 25 × 25 mm of text are needed)"),
    ("qr-too-wide", "page:\n  columns: 3\nqr:\n  size: 60\n",
     "{f}:1:1: error: the QR code (60 mm) is wider than the column (49 mm) leaves beside the text (make it smaller or the columns wider)"),
    ("font", "text:\n  body: {font: comic, size: 11}\n",
     "{f}:2:16: error: 'font' of text.body is 'comic' (accepted: serif, sans)"),
    ("base", "base: nowhere\n",
     "{f}:1:7: error: no layout 'nowhere' (expected {d}/nowhere.yaml; built-in layouts: default, dys, large-print, booklet, eco)"),
    ("size", "text:\n  body: {size: big}\n",
     "{f}:2:16: error: 'size' of text.body must be a number from 4 to 72, found 'big'"),
    ("block", "handout: [reference, poster]\n",
     "{f}:1:22: error: unknown block 'poster' in 'handout' (accepted: reference, note, uses, questions)"),
]


def test_bad_layouts(tmp):
    layouts_dir = os.path.join(ROOT, "layouts")
    for name, text, want in BAD:
        f = os.path.join(tmp, f"bad-{name}.yaml")
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(text)
        out = os.path.join(tmp, f"bad-out-{name}")
        r = run([CLASSEUR, "build", COURSE, "--kind", "handout", "--layout", f, "--out", out])
        want = want.format(f=f, d=layouts_dir)
        check(f"bad layout ({name}): exit 1 with '{want[len(f):][:60]}…'",
              r.returncode == 1 and want in r.stderr.splitlines(), r.stderr)
        check(f"bad layout ({name}): nothing written", not os.path.exists(out))
    r = run([CLASSEUR, "build", COURSE, "--layout", "nowhere", "--out", os.path.join(tmp, "x")])
    check("unknown layout name: exit 1 naming the file looked for",
          r.returncode == 1 and f"no layout 'nowhere' (expected {layouts_dir}/nowhere.yaml" in r.stderr, r.stderr)


def test_course_layout(tmp):
    d = os.path.join(tmp, "course-layout")
    os.makedirs(d)
    f = os.path.join(d, "c.yaml")
    src = open(COURSE, encoding="utf-8").read().replace("id: bts-sp3s-module-c", "id: dys-course\nlayout: dys", 1)
    open(f, "w", encoding="utf-8").write(src)
    out = os.path.join(tmp, "course-layout-out")
    r = run([CLASSEUR, "build", f, "--kind", "handout", "--out", out])
    pdf = os.path.join(out, "dys-course", "handout-dys.pdf")  # its file name says its layout
    fonts = {n for n, _, _ in font_sizes(pdf)} if os.path.isfile(pdf) else set()
    check("a course file may name its layout", r.returncode == 0 and fonts and all("Sans" in x for x in fonts), (r.stderr, fonts))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_dys(tmp)
        test_large_print(tmp)
        test_booklet(tmp)
        test_eco(tmp)
        test_bad_layouts(tmp)
        test_course_layout(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
