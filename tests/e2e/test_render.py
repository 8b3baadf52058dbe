"""End-to-end tests of the previews and the trace: `classeur preview` (PNG, SVG, PGM,
contact sheet) and `classeur trace`, checked with outside tools and against the PDF.

- The trace of the three documents of the default course (handout, study sheets, binder)
  equals the golden files in tests/golden/ (`make golden` rewrites them after an intended
  layout change; review the diff before committing).
- Every SVG page is well-formed XML (xmllint --noout).
- Every cairo PNG page and the pdftoppm rendering of the same PDF page at the same
  resolution differ in fewer than 2 % of pixels once both are grey. A pixel differs when
  the two grey levels are more than TOLERANCE apart (of 255): two rasterisers never agree
  on every anti-aliased edge pixel, but a glyph, rule or code out of place changes its
  pixels by far more.
- The command line: output names, page selection, usage errors, no temporary file left.

Python standard library only: PNGs are decoded here with zlib. Each check prints
"ok - name" or "FAIL - name: why"; the last line is "N passed, M failed"."""
import difflib
import multiprocessing
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from common import CLASSEUR, COURSE, ROOT, check, finish, run

COURSE_ID = "bts-sp3s-module-c"
GOLDEN = os.path.join(ROOT, "tests", "golden")
KINDS = ["handout", "study", "binder"]
LAYOUTS = ["default", "dys", "large-print", "booklet", "eco"]
DPI = 150
TOLERANCE = 16
MAX_DIFFERENT = 0.02


# ---- pictures -------------------------------------------------------------------------

def unfilter(raw, w, h, bpp):
    """The pixel bytes of a non-interlaced 8-bit PNG image from its inflated data."""
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:    # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        rows.append(bytes(line))
        prev = line
    return b"".join(rows)


def read_png(path):
    """(width, height, grey bytes) of an 8-bit PNG (grey, grey+alpha, RGB or RGBA)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace or ctype not in (0, 2, 4, 6):
                raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
            bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    if bpp == 3:
        # Grey pictures stored as RGB (what cairo writes): when every filtered row has
        # R = G = B, so has every pixel (the filters work channel by channel), and one
        # channel, unfiltered alone, is the grey picture. Three times faster.
        stride = 3 * w + 1
        rows = [raw[y * stride:(y + 1) * stride] for y in range(h)]
        if all(r[1::3] == r[2::3] == r[3::3] for r in rows):
            return w, h, unfilter(b"".join(r[0:1] + r[1::3] for r in rows), w, h, 1)
    px = unfilter(raw, w, h, bpp)
    if bpp == 1:
        return w, h, px
    if bpp == 2:
        return w, h, px[0::2]
    r, g, b = px[0::bpp], px[1::bpp], px[2::bpp]
    if r == g == b:
        return w, h, r
    return w, h, bytes((77 * x + 150 * y + 29 * z + 128) >> 8 for x, y, z in zip(r, g, b))


def read_pgm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m or m.group(3) != b"255":
        raise ValueError(f"{path}: not an 8-bit binary PGM")
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h]


def different_pixels(a, b):
    """How many pixels of two grey pictures differ by more than TOLERANCE."""
    n = 0
    step = 256
    for i in range(0, len(a), step):
        ca, cb = a[i:i + step], b[i:i + step]
        if ca != cb:
            n += sum(1 for x, y in zip(ca, cb) if x - y > TOLERANCE or y - x > TOLERANCE)
    return n


def compare_page(pair):
    """(width, height, reference width, reference height, fraction of pixels that differ)."""
    wa, ha, pa = read_png(pair[0])
    wb, hb, pb = read_pgm(pair[1])
    frac = different_pixels(pa, pb) / (wa * ha) if (wa, ha) == (wb, hb) else 1.0
    return wa, ha, wb, hb, frac


def page_files(folder, prefix, ext):
    """Files named PREFIX-N.EXT in folder, in page order."""
    pat = re.compile(re.escape(prefix) + r"-(\d+)\." + ext + "$")
    found = [(int(m.group(1)), f) for f in os.listdir(folder) for m in [pat.match(f)] if m]
    return [os.path.join(folder, f) for _, f in sorted(found)]


# ---- tests -----------------------------------------------------------------------------

GOLDEN_CASES = ([(COURSE, kind, layout) for layout in LAYOUTS for kind in KINDS]
                + [(None, "binder", "default"), (None, "binder", "large-print")])


def golden_one_name(case):
    course, kind, layout = case
    return f"{COURSE_ID if course else 'dossier'}.{kind}.{layout}.trace"


def golden_one(case):
    course, kind, layout = case
    name = f"{COURSE_ID if course else 'dossier'}.{kind}.{layout}.trace"
    path = os.path.join(GOLDEN, name)
    args = [CLASSEUR, "trace"] + ([course, "--kind", kind] if course else ["--dossier"]) + ["--layout", layout]
    r = run(args)
    if r.returncode != 0:
        return name, f"trace exits {r.returncode}: {r.stderr}"
    if not os.path.exists(path):
        return name, "missing: run make golden"
    want = open(path, encoding="utf-8").read()
    diff = list(difflib.unified_diff(want.splitlines(), r.stdout.splitlines(), "golden", "now", lineterm="", n=1))
    if diff:
        return name, (f"{len(diff)} diff lines (after an intended change: make golden, then review git diff):\n"
                      + "\n".join(diff[:30]))
    return name, ""


def test_golden_traces():
    with multiprocessing.Pool() as pool:
        for name, why in pool.map(golden_one, GOLDEN_CASES):
            check(f"trace equals tests/golden/{name}", not why, why)
    extra = sorted(set(os.listdir(GOLDEN)) - {golden_one_name(c) for c in GOLDEN_CASES})
    check("no stale golden file", not extra, extra)
    r = run([CLASSEUR, "trace", COURSE, "--kind", "handout"])
    r2 = run([CLASSEUR, "trace", COURSE, "--kind", "handout"])
    check("trace is the same from one run to the next", r.stdout == r2.stdout and r.stdout, "")
    lines = r.stdout.splitlines()
    check("trace starts with its version line", lines[:1] == ["classeur-trace 2"], lines[:1])
    unquoted = [re.sub(r'"(?:[^"\\]|\\.)*"', '""', l) for l in lines]
    bad = [l for l in unquoted if re.search(r"\d\.\d{3}|\.\d\b|-0\.00\b", l)]
    check("trace numbers have two decimals, never -0.00", not bad, bad[:3])


def test_compare_with_pdf(tmp, kind):
    out = os.path.join(tmp, "pdf")
    r = run([CLASSEUR, "build", COURSE, "--kind", kind, "--out", out])
    pdf = os.path.join(out, COURSE_ID, f"{kind}.pdf")
    check(f"build --kind {kind} for the comparison", r.returncode == 0 and os.path.isfile(pdf), r.stderr)
    if not os.path.isfile(pdf):
        return
    png = os.path.join(tmp, f"png-{kind}")
    t0 = time.monotonic()
    r = run([CLASSEUR, "preview", COURSE, "--kind", kind, "--png", png, "--dpi", str(DPI)])
    secs = time.monotonic() - t0
    check(f"preview --kind {kind} --png exits 0", r.returncode == 0, r.stderr)
    mine = page_files(png, kind, "png")
    ref_dir = os.path.join(tmp, f"ppm-{kind}")
    os.makedirs(ref_dir)
    run(["pdftoppm", "-r", str(DPI), "-gray", pdf, os.path.join(ref_dir, "p")])
    theirs = page_files(ref_dir, "p", "pgm")
    check(f"{kind}: one PNG per PDF page", len(mine) == len(theirs) and mine, f"{len(mine)} PNG, {len(theirs)} PDF pages")
    if mine:
        print(f"# {kind}: {len(mine)} pages to PNG at {DPI} dpi in {secs:.2f} s ({1000 * secs / len(mine):.0f} ms a page, with composition)")
    worst = (0.0, 0)
    sizes_ok = True
    with multiprocessing.Pool() as pool:  # decoding PNGs in Python is the slow part
        results = pool.map(compare_page, list(zip(mine, theirs)))
    for i, (wa, ha, wb, hb, frac) in enumerate(results, 1):
        if (wa, ha) != (wb, hb):
            sizes_ok = False
            check(f"{kind} page {i}: same size as pdftoppm", False, f"{wa}x{ha} vs {wb}x{hb}")
            continue
        worst = max(worst, (frac, i))
    check(f"{kind}: every page has pdftoppm's size", sizes_ok, "")
    print(f"# {kind}: worst page {worst[1]}: {100 * worst[0]:.3f} % of pixels differ by more than {TOLERANCE}/255")
    check(f"{kind}: cairo PNG and pdftoppm differ in < 2 % of pixels on every page", worst[0] < MAX_DIFFERENT,
          f"page {worst[1]}: {100 * worst[0]:.2f} %")


def test_svg(tmp):
    svg = os.path.join(tmp, "svg")
    r = run([CLASSEUR, "preview", COURSE, "--kind", "study", "--svg", svg])
    check("preview --svg exits 0", r.returncode == 0, r.stderr)
    files = page_files(svg, "study", "svg")
    check("preview --svg writes one file per page", len(files) >= 2, os.listdir(svg) if os.path.isdir(svg) else svg)
    bad = []
    for f in files:
        x = run(["xmllint", "--noout", f])
        if x.returncode != 0 or x.stderr:
            bad.append(f"{os.path.basename(f)}: {x.stderr[:200]}")
    check("every SVG page is well-formed XML (xmllint --noout)", files and not bad, bad[:3])
    if files:
        head = open(files[0], encoding="utf-8").read(600)
        check("SVG pages are sized in points", re.search(r'width="595\.2\d*pt" height="841\.8\d*pt"', head) is not None, head[:300])


def test_command_line(tmp):
    d = os.path.join(tmp, "cli")
    r = run([CLASSEUR, "preview", COURSE, "--page", "2", "--png", d, "--pgm", d, "--dpi", "72"])
    check("preview --page 2 writes that page only", r.returncode == 0 and sorted(os.listdir(d)) == ["handout-02.pgm", "handout-02.png"],
          r.stderr + str(os.listdir(d) if os.path.isdir(d) else ""))
    if r.returncode == 0:
        w, h, px = read_png(os.path.join(d, "handout-02.png"))
        w2, h2, px2 = read_pgm(os.path.join(d, "handout-02.pgm"))
        check("--dpi 72: an A4 page is 596 x 842 pixels", (w, h) == (596, 842), (w, h))
        check("the PNG and the PGM hold the same picture", (w, h, px) == (w2, h2, px2), "")
    contact = os.path.join(tmp, "contact", "sheet.png")
    r = run([CLASSEUR, "preview", COURSE, "--kind", "study", "--contact", contact])
    ok = r.returncode == 0 and os.path.isfile(contact)
    check("preview --contact writes one PNG", ok, r.stderr)
    if ok:
        w, h = struct.unpack(">II", open(contact, "rb").read()[16:24])
        check("the contact sheet has four thumbnails a row", 4 * 397 < w < 4 * 397 + 200 and h > 561, (w, h))
    leftovers = [os.path.join(p, f) for p, _, fs in os.walk(tmp) for f in fs if f.endswith(".tmp")]
    check("no temporary file left", not leftovers, leftovers[:3])

    r = run([CLASSEUR, "preview", COURSE])
    check("preview without an output: exit 2, says what to give",
          r.returncode == 2 and "--png DIR" in r.stderr, r.stderr)
    pages = re.search(r"^pages (\d+)$", run([CLASSEUR, "trace", COURSE]).stdout, re.M)
    r = run([CLASSEUR, "preview", COURSE, "--png", d, "--page", "999"])
    check("preview --page 999: exit 2, says how many pages",
          r.returncode == 2 and pages and f"the handout has {pages.group(1)} pages" in r.stderr, r.stderr)
    r = run([CLASSEUR, "preview", COURSE, "--png", d, "--dpi", "5"])
    check("preview --dpi 5: exit 2 with the accepted range", r.returncode == 2 and "accepted: 9 to 2400" in r.stderr, r.stderr)
    r = run([CLASSEUR, "trace", COURSE, "--kind", "poster"])
    check("trace --kind poster: exit 2 with accepted values",
          r.returncode == 2 and "accepted: handout, study, binder" in r.stderr, r.stderr)
    r = run([CLASSEUR, "trace"])
    check("trace without a course: exit 2", r.returncode == 2 and "needs a course file" in r.stderr, r.stderr)
    dossier = os.path.join(tmp, "dossier")
    r = run([CLASSEUR, "preview", "--dossier", "--page", "1", "--png", dossier])
    names = os.listdir(dossier) if os.path.isdir(dossier) else []
    check("preview --dossier: page 1 of the whole-dossier binder",
          r.returncode == 0 and len(names) == 1 and re.match(r"binder-0+1\.png$", names[0]) is not None, r.stderr + str(names))
    r = run([CLASSEUR, "trace", "--dossier"])
    check("trace --dossier: the whole-dossier binder", r.returncode == 0 and r.stdout.startswith("classeur-trace 2\n"), r.stderr[:300])


def main():
    if not os.path.exists(CLASSEUR):
        print("build/classeur is missing: run make first")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        test_golden_traces()
        test_compare_with_pdf(tmp, "handout")
        test_compare_with_pdf(tmp, "study")
        test_svg(tmp)
        test_command_line(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
