"""End-to-end tests of the study sheets and the binders (issue 4): page numbers of the
sommaire and of the indexes, bookmarks, QR codes of the whole-dossier binder, binding
margins, one sheet per resource and "(suite)" when a sheet overflows.

Prints "ok - name" / "FAIL - name: why" and ends with "N passed, M failed"."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import CLASSEUR, COURSE, ROOT, check, decode_qr, finish, n_pages, page_text, printed, run, squash


def catalogue():
    return json.loads(run([CLASSEUR, "list", "--json"]).stdout)


TOC_LINE = re.compile(r"^\s*(?:(?:\d+\.)*\d+\.?\s+)?(\S.*?)\s{2,}(\d+(?:, \d+)*)\s*$")


def check_toc(pdf, first, last, label):
    """Every line ending with page numbers: each page holds the line's text."""
    bad, count = [], 0
    for p in range(first, last + 1):
        for line in page_text(pdf, p, layout=True).splitlines():
            m = TOC_LINE.match(line)
            if not m or line.strip().startswith("page "):
                continue
            title = m.group(1).strip()
            if len(squash(title)) < 3:
                continue
            for num in m.group(2).split(", "):
                count += 1
                if squash(title) not in squash(page_text(pdf, int(num))):
                    bad.append(f"{title!r} -> p.{num}")
    check(f"{label}: every page number points to a page holding that title ({count} checked)", count > 0 and not bad, bad[:5])
    return count


def test_study(tmp):
    out = os.path.join(tmp, "study")
    r = run([CLASSEUR, "build", COURSE, "--kind", "study", "--out", out])
    pdf = os.path.join(out, "bts-sp3s-module-c", "study.pdf")
    check("study: build exits 0", r.returncode == 0 and os.path.isfile(pdf), r.stderr)
    check("study: qpdf --check", run(["qpdf", "--check", pdf]).returncode == 0)
    cat = catalogue()
    course = next(c for c in cat["courses"] if c["id"] == "bts-sp3s-module-c")
    res = {x["id"]: x for x in cat["resources"]}
    sel = [res[x["id"]] for x in course["resources"]]
    check("study: cover plus one page per resource", n_pages(pdf) == 1 + len(sel), f"{n_pages(pdf)} pages, {len(sel)} resources")
    cover = page_text(pdf, 1)
    check("study: cover names the course", "Accès aux droits et dématérialisation" in cover and "2026-2027" in cover, cover[:200])
    bad = []
    for k, r_ in enumerate(sel):
        t = page_text(pdf, k + 2)
        if f"Fiche {k + 1} / {len(sel)}" not in t or squash(printed(r_["title"])) not in squash(t) or "Mes notes" not in t:
            bad.append(r_["id"])
    check("study: sheet k on page k+1 with its title and a Mes notes box", not bad, bad)
    check_toc(pdf, 1, 1, "study cover")
    urls = sorted(r_["url"] for r_ in sel if r_.get("url"))
    check("study: QR codes decode to the selection's addresses", sorted(decode_qr(pdf, os.path.join(tmp, "study-png"))) == urls)
    check("study: nothing printed as 'non renseignée' (an unknown address, length or duration is left out)",
          "renseignée" not in run(["pdftotext", pdf, "-"]).stdout)

    # a sheet longer than a page continues with "(suite)"
    d = os.path.join(tmp, "long")
    os.makedirs(d)
    qs = "\n".join(f"      - Question numéro {i} sur ce rapport, à développer en quelques lignes ?" for i in range(1, 13))
    course_file = os.path.join(d, "long.yaml")
    with open(course_file, "w", encoding="utf-8") as f:
        f.write("id: long-course\ntitle: Cours long\ndiploma: bts-sp3s\nmodule: C\nschool_year: 2026-2027\nresources:\n"
                f"  - id: defenseur-droits-acces-droits-2017\n    questions:\n{qs}\n  - solidarite-numerique\n")
    r = run([CLASSEUR, "build", course_file, "--kind", "study", "--out", out])
    pdf = os.path.join(out, "long-course", "study.pdf")
    check("study (long sheet): build exits 0", r.returncode == 0, r.stderr)
    n = n_pages(pdf) if os.path.isfile(pdf) else 0
    check("study (long sheet): the long sheet takes two pages", n == 4, f"{n} pages")
    t3 = page_text(pdf, 3) if n >= 3 else ""
    body = [l for l in t3.splitlines() if l.strip()][2:]  # after the two header texts
    check("study (long sheet): continuation page starts with its '(suite)' heading",
          bool(body) and body[0].startswith("Fiche 1 – Enquête sur l’accès aux droits") and body[0].endswith("(suite)"),
          body[:2])
    check("study (long sheet): question 12 is printed", "Question numéro 12" in run(["pdftotext", pdf, "-"]).stdout)
    check("study (long sheet): sheet 2 starts on its own page", "Fiche 2 / 2" in page_text(pdf, 4) if n >= 4 else False)


def outline_items(pdf):
    data = json.loads(run(["qpdf", "--json", "--json-key=outlines", pdf]).stdout)
    items = []

    def walk(nodes, level):
        for o in nodes:
            items.append((level, o["title"], o.get("destpageposfrom1")))
            walk(o.get("kids", []), level + 1)
    walk(data["outlines"], 1)
    return items


def test_binder(tmp):
    out = os.path.join(tmp, "binder")
    r = run([CLASSEUR, "binder", "--out", out])
    pdf = os.path.join(out, "dossier", "binder.pdf")
    check("binder: exits 0", r.returncode == 0 and os.path.isfile(pdf), r.stderr)
    if not os.path.isfile(pdf):
        return
    check("binder: qpdf --check", run(["qpdf", "--check", pdf]).returncode == 0)
    cat = catalogue()
    n = n_pages(pdf)
    # sommaire pages: from page 2 until the introduction
    intro = next(p for p in range(2, n + 1) if "Éléments d’introduction" in page_text(pdf, p) and "Sommaire" not in page_text(pdf, p))
    count = check_toc(pdf, 2, intro - 1, "binder sommaire")
    check("binder sommaire: a line per section and subsection", count >= len(cat["sections"]) + 4, count)
    first_index = next(p for p in range(intro + 1, n + 1) if "Index par type de ressource" in page_text(pdf, p))
    check_toc(pdf, first_index, n, "binder indexes")
    # bookmarks mirror the sections
    items = outline_items(pdf)
    titles = [t for _, t, _ in items]
    missing = []
    for s in cat["sections"]:
        want = printed((s["number"] + " " if s.get("number") else "") + s["title"])
        if squash(want) not in [squash(t) for t in titles]:
            missing.append(want)
    check("bookmarks: one per section and subsection", not missing and len(items) == len(cat["sections"]) + 5, missing or len(items))
    levels = {squash(t): l for l, t, _ in items}
    lv_bad = [s["title"] for s in cat["sections"]
              if levels.get(squash(printed((s["number"] + " " if s.get("number") else "") + s["title"]))) != s["level"]]
    check("bookmarks: nested as the sections", not lv_bad, lv_bad)
    tgt_bad = [t for _, t, p in items if not p or squash(t) not in squash(page_text(pdf, p))]
    check("bookmarks: each targets the page where its heading is printed", not tgt_bad, tgt_bad[:5])
    qdf = subprocess.run(["qpdf", "--qdf", pdf, "-"], capture_output=True).stdout
    check("bookmarks: shown when the viewer opens the file", b"/PageMode /UseOutlines" in qdf)
    # all QR codes of the dossier decode to the data's addresses
    res = {x["id"]: x for x in cat["resources"]}
    expected = []
    for s in cat["sections"]:
        for e in s["entries"]:
            r_ = res[e["resource"]]
            if r_.get("url"):
                expected.append(r_["url"])
            expected += [l["url"] for l in r_["links"] if l.get("url")]
    got = decode_qr(pdf, os.path.join(tmp, "binder-png"))
    check("binder: every QR code decodes to a data address, one per entry and sub-link", sorted(got) == sorted(expected),
          f"{len(got)} decoded vs {sorted(set(expected) - set(got))} missing")
    import yaml  # the shipped address file: every address is printed as a code
    recs = yaml.safe_load(open(os.path.join(ROOT, "data", "addresses.yaml"), encoding="utf-8"))
    check("binder: every address of data/addresses.yaml decodes from its QR codes",
          len(recs) >= 30 and all(x["address"] in got for x in recs), [x["address"] for x in recs if x["address"] not in got])
    check("data/addresses.yaml: every record carries its evidence (kind, seen_at, quote)",
          all(set(x.get("evidence", {})) >= {"kind", "seen_at", "quote"} for x in recs),
          [x["id"] for x in recs if "evidence" not in x])
    r = run([CLASSEUR, "check", "--require-evidence"])
    check("check --require-evidence passes on the shipped data", r.returncode == 0, r.stderr[-300:])
    whole = run(["pdftotext", pdf, "-"]).stdout
    check("binder: no placeholder for a missing address", "renseignée" not in whole, whole.count("renseignée"))
    identified = [x for x in cat["resources"] if not x.get("unidentified") and x["appearances"]]
    with_code = [x for x in identified if x.get("url")]
    check("binder: the cover says how many resources have a QR code",
          f"{len(with_code)} ressources sur {len(identified)} avec un code QR" in page_text(pdf, 1)
          and f"Les {len(identified) - len(with_code)} autres n’ont pas encore d’adresse" in page_text(pdf, 1)
          and "data/addresses.yaml" in page_text(pdf, 1), page_text(pdf, 1))
    check("binder: the resource the source does not identify is not printed as a reference",
          "Référence absente" not in whole and "[Référence" not in whole)
    note = next(e["note"]["text"] for s in cat["sections"] for e in s["entries"]
                if e["resource"] == "site-ressources-officielles-covid")
    flat_whole = squash(whole)
    at = flat_whole.find(squash("Ressource non identifiée par le dossier source"))
    check("binder: its note is printed in its section, introduced as a resource the source does not identify",
          at >= 0 and flat_whole.find(squash(note.split("\n")[0]), at) == at + len(squash(
              "Ressource non identifiée par le dossier source")) + len(squash("Note d'exploration du site :")),
          flat_whole[at:at + 200] if at >= 0 else "label missing")
    # binding margins alternate between odd and even pages
    bbox = run(["pdftotext", "-bbox", "-f", "5", "-l", "6", pdf, "-"]).stdout
    pages = bbox.split("<page ")[1:]
    xmins = [min(float(x) for x in re.findall(r'xMin="([\d.]+)"', pg)) for pg in pages]
    check("binder: text block x-offsets differ between odd and even pages (30 mm / 20 mm)",
          len(xmins) == 2 and abs((xmins[0] - xmins[1]) - 28.35) < 1.0, xmins)
    # a divider page before each chapter
    for s in cat["sections"]:
        if s["level"] == 1:
            p = next((p for _, t, p in items if squash(t) == squash(s["number"] + " " + s["title"])), None)
            t = page_text(pdf, p) if p else ""
            check(f"binder: divider page for chapter {s['number']}", p and not re.search(r"Note d", t), t[:200])


def test_course_binder_and_all_kinds(tmp):
    out = os.path.join(tmp, "all-kinds")
    r = run([CLASSEUR, "build", COURSE, "--out", out])
    d = os.path.join(out, "bts-sp3s-module-c")
    check("build COURSE without --kind writes the three documents",
          r.returncode == 0 and all(os.path.isfile(os.path.join(d, f)) for f in ("handout.pdf", "study.pdf", "binder.pdf")), r.stderr)
    pdf = os.path.join(d, "binder.pdf")
    cat = catalogue()
    course = next(c for c in cat["courses"] if c["id"] == "bts-sp3s-module-c")
    ids = {x["id"] for x in course["resources"]}
    text = squash(run(["pdftotext", pdf, "-"]).stdout)
    res = {x["id"]: x for x in cat["resources"]}
    missing = [i for i in ids if squash(printed(res[i]["title"])) not in text]
    check("course binder: every selected resource", not missing, missing)
    check("course binder: resources outside the selection are left out", squash("Fracture numérique. Communications") not in text and squash("Télémédecine, le succès va-t-il durer") not in text)
    check_toc(pdf, 2, 2, "course binder sommaire")
    # a note's closing lead-in whose entries are not selected is left out of course documents
    lead = squash("Des exemples d'actions, des études menées :")
    check("course binder: a lead-in to entries outside the selection is left out", lead not in text)
    whole = squash(run(["pdftotext", os.path.join(tmp, "binder", "dossier", "binder.pdf"), "-"]).stdout)
    check("whole binder: the same lead-in is printed, its entries follow it", lead in whole)


def test_name_line(tmp):
    """Study sheets carry "Nom, prénom" and "Classe" lines on their first page (the
    layout block `name`, on by default); a layout without it has none."""
    out = os.path.join(tmp, "name")
    r = run([CLASSEUR, "build", COURSE, "--kind", "study", "--out", out])
    pdf = os.path.join(out, "bts-sp3s-module-c", "study.pdf")
    first = page_text(pdf, 1)
    check("study: 'Nom, prénom' and 'Classe' on the first page", r.returncode == 0 and
          re.search(r"Nom, prénom\s*:", first) is not None and re.search(r"Classe\s*:", first) is not None, first[:300])
    check("study: only on the first page", all("Nom, prénom" not in page_text(pdf, p) for p in (2, 3)))
    lay = os.path.join(tmp, "unnamed.yaml")
    with open(lay, "w", encoding="utf-8") as f:
        f.write("base: default\nstudy: [reference, extent, summary, questions, notes]\n")
    r = run([CLASSEUR, "build", COURSE, "--kind", "study", "--layout", lay, "--out", out])
    pdf = os.path.join(out, "bts-sp3s-module-c", "study-unnamed.pdf")
    check("study: a layout without the name block has no name line",
          r.returncode == 0 and "Nom, prénom" not in page_text(pdf, 1), r.stderr)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_study(tmp)
        test_binder(tmp)
        test_course_binder_and_all_kinds(tmp)
        test_name_line(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
