"""Page quality of a document, read from its trace (`classeur trace`): what a teacher
about to print 30 copies would send back.

A trace page carries one "area" line per page of layout (two on an imposed booklet
sheet): its role (body, title, cover, divider, colophon, blank), its text block, and
"forced" when a unit that must start a page opens it. Ops are assigned to the area whose
half of the sheet holds them. For every body or title page this finds:

- stranded: one or two lines of text in the text block (a page for nothing);
- suite-only: a "(suite)" heading over nothing but a box (an empty "Mes notes");
- caption-last: the last line of the page is (part of) a heading or a caption (text the
  trace tags " heading" or " caption"), cut from what it introduces;
- gap: a page filled to less than `min_fill` of its height although the next page does
  not start with a forced break (a unit that must start a page) — a hole in the text.

Used by test_pages.py (make test) and runnable by hand:
    python3 tests/e2e/pagequality.py FILE.trace [...]"""
import re
import sys

TEXT = re.compile(r'^text (\S+) ([\d.]+) ([\d.-]+) ([\d.-]+) grey [\d.]+ "(.*)"(?: at(?: [\d.-]+)+)?( heading| caption)?$')
FRAME = re.compile(r'^frame ([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) ')
QR = re.compile(r'^qr ([\d.-]+) ([\d.-]+) module ([\d.]+) width (\d+)')
AREA = re.compile(r'^area (\d+) (\S+) ([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+)( forced)?$')
PAGE = re.compile(r'^page (\d+) ([\d.]+)x([\d.]+)')


class Area:
    def __init__(self, role, x, y, w, h, forced, sheet, index):
        self.role, self.x, self.y, self.w, self.h, self.forced = role, x, y, w, h, forced
        self.sheet, self.index = sheet, index
        self.texts = []   # (face, size, x, y, text, tag)
        self.frames = []  # (x, y, w, h)
        self.qrs = []     # (x, y, side)

    def body_lines(self):
        """Text lines inside the text block, top to bottom: [(y, [(face, text)])]."""
        lines = {}
        for face, size, x, y, t, tag in self.texts:
            if self.y - 1 <= y - size * 0.7 and y <= self.y + self.h + 2:
                lines.setdefault(round(y * 2) / 2, []).append((tag, t, x))
        return [(y, sorted(lines[y], key=lambda r: r[2])) for y in sorted(lines)]

    def bottom(self):
        """Lowest point of the content in the text block (text baselines, codes, frames)."""
        ys = [y for y, _ in self.body_lines()]
        ys += [qy + side for qx, qy, side in self.qrs]
        ys += [fy + fh for fx, fy, fw, fh in self.frames]
        return max(ys) if ys else self.y


def parse(trace_text):
    """The areas of a trace, in reading order."""
    areas = []
    page = []
    width = 0
    sheet = 0
    for line in trace_text.splitlines():
        m = PAGE.match(line)
        if m:
            sheet = int(m.group(1))
            width = float(m.group(2))
            page = []
            continue
        m = AREA.match(line)
        if m:
            a = Area(m.group(2), *(float(m.group(k)) for k in range(3, 7)), bool(m.group(7)), sheet, len(page))
            a.page = int(m.group(1))
            page.append(a)
            areas.append(a)
            continue
        if not page:
            continue
        target = None
        m = TEXT.match(line)
        if m:
            x = float(m.group(3))
            target = page[0] if len(page) == 1 or x < width / 2 else page[1]
            target.texts.append((m.group(1), float(m.group(2)), x, float(m.group(4)),
                                 m.group(5).replace("\\u{00A0}", "\u00a0").replace("\\u{202F}", "\u202f"),
                                 (m.group(6) or "").strip()))
            continue
        m = FRAME.match(line)
        if m:
            x = float(m.group(1))
            target = page[0] if len(page) == 1 or x < width / 2 else page[1]
            target.frames.append(tuple(float(m.group(k)) for k in range(1, 5)))
            continue
        m = QR.match(line)
        if m:
            x, y, mod, w = float(m.group(1)), float(m.group(2)), float(m.group(3)), int(m.group(4))
            target = page[0] if len(page) == 1 or x < width / 2 else page[1]
            target.qrs.append((x, y, mod * (w + 8)))
    # reading order (an imposed booklet's sheets hold pages out of order); padding last
    return sorted(areas, key=lambda a: (a.page == 0, a.page, a.sheet, a.index))


def in_frame(area, y):
    return any(fy <= y <= fy + fh for fx, fy, fw, fh in area.frames)


def problems(trace_text, min_fill=0.0, name=""):
    """The page-quality problems of a trace, one string each."""
    areas = parse(trace_text)
    out = []
    for k, a in enumerate(areas):
        if a.role not in ("body", "title"):
            continue
        where = f"{name} page {a.page}" + (f" (sheet side {a.sheet}, {'left' if a.index == 0 else 'right'})"
                                            if a.page != a.sheet or a.index else "")
        lines = a.body_lines()
        texts = [" ".join(t for _, t, _ in runs).strip() for _, runs in lines]
        if 0 < len(lines) <= 2 and not a.qrs:
            out.append(f"{where}: stranded, {len(lines)} line(s): {texts}")
        if lines and texts[0].endswith("(suite)") and all(t in ("Mes notes",) for t in texts[1:]) and a.frames:
            out.append(f"{where}: a \"(suite)\" page holding only a box: {texts}")
        if lines:
            y, runs = lines[-1]
            if any(tag for tag, _, _ in runs) and not in_frame(a, y):
                out.append(f"{where}: caption or heading as the last line: {texts[-1]!r}")
        nxt = areas[k + 1] if k + 1 < len(areas) else None
        if min_fill and nxt is not None and not nxt.forced and nxt.role in ("body", "title") and lines:
            fill = (a.bottom() - a.y) / a.h
            if fill < min_fill:
                out.append(f"{where}: {100 - fill * 100:.0f} % left empty before a page that could have started here")
    return out


def main(paths):
    bad = 0
    for p in paths:
        for line in problems(open(p, encoding="utf-8").read(), 0.75, p):
            print(line)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
