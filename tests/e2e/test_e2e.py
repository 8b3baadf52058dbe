"""End-to-end tests of Classeur: build the default course's handout and check the PDF
with outside tools, then check the command line's messages and exit codes on bad input.

Each check prints "ok - name" or "FAIL - name: why"; the last line is
"N passed, M failed". Exit status 1 when anything failed."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from common import CLASSEUR, COURSE, ROOT, check, decode_qr, finish, printed, run, squash


def short_address(url):
    s = re.sub(r"^https?://", "", url)
    s = re.sub(r"^www\.", "", s)
    return s[:-1] if s.endswith("/") and len(s) > 1 else s


def catalogue():
    r = run([CLASSEUR, "list", "--json"])
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def course_resources(cat, course_id):
    course = next(c for c in cat["courses"] if c["id"] == course_id)
    res = {r["id"]: r for r in cat["resources"]}
    return [res[x["id"]] for x in course["resources"]]


def test_handout(tmp):
    out = os.path.join(tmp, "out")
    r = run([CLASSEUR, "build", COURSE, "--kind", "handout", "--out", out])
    check("build handout exits 0", r.returncode == 0, r.stderr)
    pdf = os.path.join(out, "bts-sp3s-module-c", "handout.pdf")
    check("handout.pdf written", os.path.isfile(pdf))
    if not os.path.isfile(pdf):
        return
    check("no temporary file left", not os.path.exists(pdf + ".tmp"))
    q = run(["qpdf", "--check", pdf])
    check("qpdf --check passes", q.returncode == 0 and "No syntax or stream encoding errors" in q.stdout, q.stdout + q.stderr)
    f = run(["pdffonts", pdf])
    rows = [l for l in f.stdout.splitlines()[2:] if l.strip()]
    check("pdffonts lists fonts", len(rows) >= 2, f.stdout)
    # columns: name type encoding emb sub uni — emb is the 3rd field from the end
    check("every font embedded and subset", all(l.split()[-5] == "yes" and l.split()[-4] == "yes" for l in rows), f.stdout)
    info = run(["pdfinfo", pdf]).stdout
    check("pdfinfo shows the UTF-8 title", "Title:           Accès aux droits et dématérialisation – fiche enseignant" in info, info)
    check("pdfinfo shows author and keywords", "Author:          Équipe pédagogique STMS" in info and "Keywords:" in info and "BTS SP3S" in info, info)

    pt = run(["pdftotext", "-layout", pdf, "-"])
    text = pt.stdout
    check("pdftotext reads the fonts' ToUnicode maps without warning", pt.stderr == "", pt.stderr[:200])
    qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"], capture_output=True).stdout
    check("ToUnicode maps are single-code bfchar maps (copy-paste gives U+00A0, U+202F…)",
          b"begincidrange" not in qdf and b"beginbfrange" not in qdf and b"beginbfchar" in qdf
          and b"<00A0> <00A0>" in qdf and b"<202F> <202F>" in qdf and b"<2019> <2019>" in qdf)
    plain = run(["pdftotext", pdf, "-"]).stdout
    flat = squash(plain)
    cat = catalogue()
    sel = course_resources(cat, "bts-sp3s-module-c")
    missing = [r["id"] for r in sel if squash(printed(r["title"])) not in flat]
    check("every selected title is in the text", not missing, f"missing: {missing}")
    urls = [r["url"] for r in sel if r.get("url")]
    check("the default course has addresses to test", len(urls) >= 2, urls)
    missing = [u for u in urls if squash(short_address(u)) not in flat]
    check("every printed address is in the text", not missing, f"missing: {missing}")
    n_missing = sum(1 for r in sel if not r.get("url"))
    check("no placeholder for a missing address (no empty frame, no 'non renseignée')",
          "renseignée" not in plain, plain.count("renseignée"))
    check("the header says how many resources have a QR code",
          f"{len(urls)} ressources sur {len(sel)} avec un code QR" in plain.replace("\n", " "), plain[:400])
    check("one 'Disponible sur' per resource with an address", flat.count(squash("Disponible sur :")) == len(urls),
          flat.count(squash("Disponible sur :")))
    ending = squash(plain[plain.rfind("Adresses à compléter"):])
    check("the handout ends with the resources still without an address and the file to complete",
          n_missing > 0 and ending.startswith(squash(f"Adresses à compléter : {n_missing} ressources sur {len(sel)}"))
          and squash("data/addresses.yaml") in ending
          and all(squash(printed(r["title"])) in ending for r in sel if not r.get("url")), ending[:300])
    bad = [l for l in text.splitlines() if re.match(r"^\s*[:;!?»]", l)]
    check("no line starts with : ; ! ? »", not bad, bad[:3])
    check("footer 'page n / N' on every page", re.search(r"page 1 / (\d+)", plain) is not None, "")
    n_pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    check("footer of the last page", f"page {n_pages} / {n_pages}" in plain, "")
    check("note kinds are printed as labels", "Note de lecture :" in plain and "Note d’écoute :" in plain, "")

    # QR codes: render every page and decode
    decoded = decode_qr(pdf, os.path.join(tmp, "png"))
    check("QR codes decode to exactly the selection's addresses", sorted(decoded) == sorted(urls),
          f"decoded {sorted(decoded)} expected {sorted(urls)}")
    # links: one URI annotation per address, none for javascript:
    qj = run(["qpdf", "--json", pdf])
    uris = re.findall(r'"/URI": "u:([^"]*)"', qj.stdout)
    check("one link annotation per address", sorted(uris) == sorted(urls), f"{sorted(uris)} vs {sorted(urls)}")

    # reproducible with SOURCE_DATE_EPOCH
    out2 = os.path.join(tmp, "out2")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    run([CLASSEUR, "build", COURSE, "--kind", "handout", "--out", out], env=env)
    run([CLASSEUR, "build", COURSE, "--kind", "handout", "--out", out2], env=env)
    a = open(pdf, "rb").read()
    b = open(os.path.join(out2, "bts-sp3s-module-c", "handout.pdf"), "rb").read()
    check("SOURCE_DATE_EPOCH: two runs give identical bytes", a == b, "bytes differ")
    info = run(["pdfinfo", pdf]).stdout
    check("SOURCE_DATE_EPOCH sets the creation date", "CreationDate:    Thu Jan  1 00:00:00 2026 UTC" in info, info)


def test_all_courses(tmp):
    out = os.path.join(tmp, "all")
    r = run([CLASSEUR, "build", "--all", "--kind", "handout", "--out", out])
    check("build --all --kind handout exits 0", r.returncode == 0, r.stderr)
    cat = catalogue()
    for c in cat["courses"]:
        p = os.path.join(out, c["id"], "handout.pdf")
        check(f"handout of {c['id']}", os.path.isfile(p) and run(["qpdf", "--check", p]).returncode == 0, p)
    check("quiet when stderr is not a terminal", r.stderr == "", r.stderr)


def copy_data(tmp):
    d = os.path.join(tmp, "data")
    shutil.copytree(os.path.join(ROOT, "data"), d)
    return d


def test_failures(tmp):
    # a character no font has: clear message, exit 1, previous PDF kept, nothing half-written
    out = os.path.join(tmp, "keep")
    r = run([CLASSEUR, "build", COURSE, "--kind", "handout", "--out", out])
    pdf = os.path.join(out, "bts-sp3s-module-c", "handout.pdf")
    before = open(pdf, "rb").read()
    d = copy_data(tmp)
    p = os.path.join(d, "resources", "40-part.yaml")
    s = open(p, encoding="utf-8").read()
    s = s.replace('title: "Solidarité Numérique"', 'title: "Solidarité Numérique \U0001F9EC"', 1)
    check("test data edited", "\U0001F9EC" in s)
    open(p, "w", encoding="utf-8").write(s)
    r = run([CLASSEUR, "build", os.path.join(d, "courses", "bts-sp3s-module-c.yaml"), "--data", d, "--kind", "handout", "--out", out])
    check("missing glyph: exit 1", r.returncode == 1, r.returncode)
    check("missing glyph: names the file, line and column, the resource and the character",
          re.search(re.escape(d) + r"/resources/[\w-]+\.yaml:\d+:\d+: error: 'title' of resource 'solidarite-numerique' "
                    r"holds U\+1F9EC '🧬' \(DNA DOUBLE HELIX\), which no font of Classeur has", r.stderr)
          is not None and "nothing was written" in r.stderr, r.stderr)
    check("missing glyph: previous PDF untouched", open(pdf, "rb").read() == before)
    check("missing glyph: no temporary file", not os.path.exists(pdf + ".tmp"))

    # data errors stop the build before anything is written
    d2 = os.path.join(tmp, "d2")
    shutil.copytree(d, d2)
    p = os.path.join(d2, "courses", "bts-sp3s-module-c.yaml")
    s = open(p, encoding="utf-8").read().replace("id: mes-droits-sociaux", "id: mes-droit-sociaux", 1)
    open(p, "w", encoding="utf-8").write(s)
    r = run([CLASSEUR, "check", "--data", d2])
    line = [l for l in r.stderr.splitlines() if "mes-droit-sociaux" in l and ": error: " in l]
    check("check: unknown resource exits 1", r.returncode == 1, r.returncode)
    check("check: FILE:LINE:COL message with suggestion",
          len(line) == 1 and re.match(re.escape(p) + r":\d+:\d+: error: unknown resource 'mes-droit-sociaux'; did you mean 'mes-droits-sociaux'\?", line[0]) is not None,
          r.stderr)
    r = run([CLASSEUR, "build", p, "--data", d2, "--out", os.path.join(tmp, "none")])
    check("build refuses data with errors", r.returncode == 1 and not os.path.exists(os.path.join(tmp, "none")), r.stderr)

    r = run([CLASSEUR, "frobnicate"])
    check("unknown command: exit 2", r.returncode == 2 and "unknown command 'frobnicate'" in r.stderr, r.stderr)
    r = run([CLASSEUR, "build", COURSE, "--kind", "poster"])
    check("unknown kind: exit 2 with accepted values", r.returncode == 2 and "accepted: handout, study, binder" in r.stderr, r.stderr)
    r = run([CLASSEUR, "check"])
    check("check on the project's data: exit 0, no error", r.returncode == 0 and ": 0 errors" in r.stdout, r.stdout + r.stderr)
    check("check: one warning line for resources without address",
          len([l for l in r.stderr.splitlines() if "have no address" in l]) == 1, r.stderr[:300])


def test_list_json():
    cat = catalogue()
    entries = sum(len(s["entries"]) for s in cat["sections"])
    check("list --json holds every entry of the dossier", entries == 126 and len(cat["resources"]) >= 120,
          f"{entries} entries, {len(cat['resources'])} resources")
    first = cat["sections"][2]["entries"][0]
    check("list --json keeps notes verbatim", first["note"]["text"].startswith(
        "L'Arcep, le Conseil général de l'économie (CGE) et l'Agence du Numérique publient"), first["note"]["text"][:80])


def test_batches(tmp):
    """A draft with a mistake in data/courses/ stops only itself: build --all makes the
    other courses and the dossier binder, says which file was left out and exits 1;
    building another course, or previewing it, does not mention the draft; building
    the draft itself is refused; an error in the shared data still stops everything."""
    d = os.path.join(tmp, "batches")
    shutil.copytree(os.path.join(ROOT, "data"), d)
    draft = os.path.join(d, "courses", "brouillon.yaml")
    with open(draft, "w", encoding="utf-8") as f:
        f.write("id: brouillon\ntitle: Brouillon\ndiploma bts-sp3s\n")  # the colon forgotten on line 3
    out = os.path.join(tmp, "batches-out")
    r = run([CLASSEUR, "build", "--all", "--data", d, "--out", out])
    check("batch: build --all with a broken draft exits 1", r.returncode == 1, r.returncode)
    check("batch: the draft's error, then which file was left out",
          r.stderr.startswith(f"{draft}:3:1: error: YAML syntax error: 'diploma bts-sp3s' has no ':' after its key") and
          f"classeur: 1 course file has errors and is not built: {draft}; the others are\n" in r.stderr, r.stderr)
    built = sorted(os.listdir(out))
    check("batch: every other course and the dossier binder are built",
          built == ["bts-esf-module-2", "bts-sp3s-module-c", "bts-sp3s-module-d", "dossier", "st2s-terminale-pdsp"] and
          all(os.path.exists(os.path.join(out, c, "handout.pdf")) for c in built if c != "dossier"), built)
    good = os.path.join(d, "courses", "bts-sp3s-module-c.yaml")
    r = run([CLASSEUR, "build", good, "--data", d, "--kind", "handout", "--out", os.path.join(tmp, "batches-one")])
    check("batch: building another course ignores the draft", r.returncode == 0 and r.stderr == "", r.stderr)
    r = run([CLASSEUR, "preview", good, "--data", d, "--page", "1", "--png", os.path.join(tmp, "batches-png")])
    check("batch: previewing another course ignores the draft", r.returncode == 0 and "brouillon" not in r.stderr,
          r.stderr)
    r = run([CLASSEUR, "build", draft, "--data", d, "--out", os.path.join(tmp, "batches-draft")])
    check("batch: building the draft itself is refused, once", r.returncode == 1 and r.stderr.count(": error: ") == 1 and
          "the data has 1 error; nothing was written" in r.stderr, r.stderr)
    check("batch: nothing written for the draft", not os.path.exists(os.path.join(tmp, "batches-draft")))
    # an error in the shared data stops everything, course files or not
    res = os.path.join(d, "resources")
    f = sorted(os.listdir(res))[0]
    with open(os.path.join(res, f), "a", encoding="utf-8") as fh:
        fh.write("- id: Mauvais-Id\n  type: report\n  title: T\n")
    r = run([CLASSEUR, "build", good, "--data", d, "--out", os.path.join(tmp, "batches-shared")])
    check("batch: an error in the shared data stops a course build", r.returncode == 1 and
          "nothing was written" in r.stderr and not os.path.exists(os.path.join(tmp, "batches-shared")), r.stderr)


def test_conventions(tmp):
    """The command line's conventions: --version, help CMD and CMD --help on stdout with
    exit 0, short options and --opt=value, and exact usage errors (exit 2) for an
    option given twice, an argument a command does not take, an unknown option and a
    contact sheet not named .png."""
    r = run([CLASSEUR, "--version"])
    check("--version", r.returncode == 0 and re.fullmatch(r"classeur \d+\.\d+\.\d+\n", r.stdout) is not None, r.stdout)
    for cmd in ("check", "list", "build", "binder", "preview", "trace", "links"):
        h = run([CLASSEUR, "help", cmd])
        o = run([CLASSEUR, cmd, "--help"])
        check(f"help {cmd} and {cmd} --help: the same text on stdout, exit 0",
              h.returncode == 0 and o.returncode == 0 and h.stdout == o.stdout and
              h.stdout.startswith(f"usage: classeur {cmd}") and h.stderr == "" and o.stderr == "", h.stderr + o.stderr)
    r = run([CLASSEUR, "help"])
    check("help: the commands on stdout, exit 0", r.returncode == 0 and "help [COMMAND]" in r.stdout, r.stderr)
    r = run([CLASSEUR, "help", "nope"])
    check("help of an unknown command: exit 2", r.returncode == 2 and "no command 'nope'" in r.stderr, r.stderr)
    out = os.path.join(tmp, "conv")
    r = run([CLASSEUR, "build", COURSE, "-k", "study", f"--out={out}", "-ldys"])
    check("short options and --opt=value", r.returncode == 0 and os.listdir(os.path.join(out, "bts-sp3s-module-c")) ==
          ["study-dys.pdf"], r.stderr)
    usage_errors = [
        (["build", COURSE, "--kind", "study", "--kind", "handout"],
         "classeur: build: --kind is given twice (it takes one value: give it once)\n"),
        (["binder", COURSE], f"classeur: binder: takes no argument (got '{COURSE}')\n"),
        (["list", "--json=yes"], "classeur: list: --json takes no value (got 'yes')\n"),
        (["build", "--frobnicate"], "classeur: build: unknown option '--frobnicate' (accepted: --kind, --layout, --out, "
                                    "--data, --all, --jobs, --verbose, --quiet)\n"),
        (["build", COURSE, "-v", "-q"], "classeur: build: --verbose and --quiet contradict each other (give one)\n"),
    ]
    for args, first in usage_errors:
        r = run([CLASSEUR] + args)
        check(f"usage error, exit 2: {' '.join(args[:1] + args[2:] if len(args) > 1 else args)}",
              r.returncode == 2 and r.stderr.startswith(first), r.stderr)
    # a course named by its id, or misspelt; an empty course file: check, build and preview agree
    r = run([CLASSEUR, "build", "bts-sp3s-module-c", "-k", "handout", "-o", os.path.join(tmp, "by-id")])
    check("a course named by its id builds", r.returncode == 0 and
          os.path.exists(os.path.join(tmp, "by-id", "bts-sp3s-module-c", "handout.pdf")), r.stderr)
    r = run([CLASSEUR, "build", "bts-sp3s-module-x"])
    check("a misspelt course id: the closest one and the accepted ids",
          r.returncode == 1 and r.stderr.startswith("bts-sp3s-module-x: error: no course file or course id "
                                                    "'bts-sp3s-module-x'; did you mean 'bts-sp3s-module-c'? (accepted: "
                                                    "a course file, or the id of a course of "), r.stderr)
    d = os.path.join(tmp, "empty-course")
    shutil.copytree(os.path.join(ROOT, "data"), d)
    empty = os.path.join(d, "courses", "vide.yaml")
    open(empty, "w").close()
    want = f"{empty}: error: empty course file (accepted: a course with id, title, diploma, module, school_year and resources; see docs/data-format.md)\n"
    for args in (["check"], ["build", empty], ["preview", empty, "--png", os.path.join(tmp, "vide-png")]):
        r = run([CLASSEUR] + args + ["--data", d])
        check(f"empty course file: {args[0]} says so and exits 1", r.returncode == 1 and r.stderr.startswith(want),
              r.stderr)
    r = run([CLASSEUR, "preview", COURSE, "--contact", os.path.join(tmp, "sheet.jpg")])
    check("--contact refuses a name not ending in .png", r.returncode == 2 and
          "the contact sheet is a PNG picture (accepted: a name ending in .png)" in r.stderr and
          not os.path.exists(os.path.join(tmp, "sheet.jpg")), r.stderr)


def test_choosing(tmp):
    """Choosing resources without reading YAML: list --titles with its filters (accent- and
    case-insensitive search), and new-course writing a course file that check accepts,
    builds, and is never overwritten."""
    r = run([CLASSEUR, "list", "--titles", "--type", "podcast"])
    lines = r.stdout.splitlines()
    check("list --titles --type podcast: one line per podcast, id type year title",
          r.returncode == 0 and len(lines) == 8 and all(re.match(r"[a-z0-9-]+ +podcast +(\d{4}|-) +\S", l) for l in lines) and
          r.stderr == "classeur: 8 of 120 resources\n", r.stdout + r.stderr)
    a = run([CLASSEUR, "list", "--search", "ETHIQUE"]).stdout
    b = run([CLASSEUR, "list", "-s", "éthique"]).stdout
    check("list --search ignores accents and capitals", a == b and "ccne-numerique-sante-enjeux-ethiques-2018" in a, a)
    r = run([CLASSEUR, "list", "--search", "éthique données"])
    check("list --search: every word (fewer resources than with one)", r.returncode == 0 and r.stdout.splitlines() and
          set(r.stdout.splitlines()) < set(b.splitlines()), r.stdout)
    r = run([CLASSEUR, "list", "--diploma", "bts-sp3s", "--module", "C"])
    check("list --diploma --module: the resources of the sections the dossier suggests",
          r.returncode == 0 and [l.split()[0] for l in r.stdout.splitlines()] ==
          ["defenseur-droits-dematerialisation-inegalites", "mes-droits-sociaux", "solidarite-numerique"], r.stdout)
    r = run([CLASSEUR, "list", "--type", "blog"])
    check("list --type: an unknown type is a usage error", r.returncode == 2 and
          r.stderr == "classeur: list: unknown --type 'blog' (accepted: article, rapport, site, podcast, video)\n",
          r.stderr)
    d = os.path.join(tmp, "choosing")
    shutil.copytree(os.path.join(ROOT, "data"), d)
    r = run([CLASSEUR, "new-course", "bts-sp3s-d-2027", "--diploma", "bts-sp3s", "--module", "D", "--data", d])
    f = os.path.join(d, "courses", "bts-sp3s-d-2027.yaml")
    check("new-course writes a course file and says where", r.returncode == 0 and os.path.isfile(f) and
          r.stdout.startswith(f"{f}: a course of "), r.stdout + r.stderr)
    text = open(f, encoding="utf-8").read() if os.path.isfile(f) else ""
    check("new-course: commented, with the module's resources and their titles",
          text.startswith("# A course file written by `classeur new-course`") and "diploma: bts-sp3s\nmodule: D\n" in text
          and "  - id: " in text and "    # " in text, text[:400])
    c = run([CLASSEUR, "check", "--data", d])
    check("new-course: check accepts it as it is", c.returncode == 0 and "5 courses: 0 errors" in c.stdout, c.stdout + c.stderr)
    b2 = run([CLASSEUR, "build", "bts-sp3s-d-2027", "--data", d, "-k", "handout", "-o", os.path.join(tmp, "choosing-out")])
    check("new-course: the course builds", b2.returncode == 0, b2.stderr)
    before = open(f, "rb").read()
    r = run([CLASSEUR, "new-course", "bts-sp3s-d-2027", "--diploma", "bts-sp3s", "--module", "D", "--data", d])
    check("new-course never overwrites", r.returncode == 1 and "exists already; nothing was written" in r.stderr and
          open(f, "rb").read() == before, r.stderr)
    r = run([CLASSEUR, "new-course", "x", "--diploma", "bts-sp3s", "--module", "Z", "--data", d])
    check("new-course: an unknown module, with the accepted ones", r.returncode == 2 and
          "unknown module 'Z' for diploma 'bts-sp3s' (accepted: " in r.stderr, r.stderr)
    r = run([CLASSEUR, "new-course", "Mon Cours", "--diploma", "bts-sp3s", "--module", "D", "--data", d])
    check("new-course: an id that cannot be a file name", r.returncode == 2 and "is not a course id" in r.stderr, r.stderr)


def test_yaml_mistakes(tmp):
    """YAML mistakes explained where they are, with the line and a caret under the column,
    as check prints them."""
    cases = [
        ("id: x\ntitle: T\ndiploma bts-sp3s\nmodule: C\n",
         "{f}:3:1: error: YAML syntax error: 'diploma bts-sp3s' has no ':' after its key (accepted: 'key: value', or "
         "'- value' in a list)\n    3 | diploma bts-sp3s\n      | ^\n"),
        ("id: x\nresources:\n\t- a\n",
         "{f}:3:1: error: YAML syntax error: a tab character (indent with spaces: YAML does not accept tabs)\n"
         "    3 | \t- a\n      | ^\n"),
        ("id: x\ntitle: Santé : la révolution\n",
         "{f}:2:14: error: YAML syntax error: ': ' inside a value (put the whole value between double quotes, e.g. "
         "title: \"Santé : la révolution numérique ?\")\n    2 | title: Santé : la révolution\n      |              ^\n"),
    ]
    for i, (text, want) in enumerate(cases):
        f = os.path.join(tmp, f"mistake-{i}.yaml")
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(text)
        r = run([CLASSEUR, "check", f])
        want = want.format(f=f)
        check(f"YAML mistake {i + 1}: explained at its line, with the line and a caret", r.returncode == 1 and
              r.stderr.startswith(want), f"got {r.stderr[:400]!r}, wanted {want!r}")


def test_warning_kinds(tmp):
    """check prints at most three warnings of a kind and counts the others; --verbose
    prints them all."""
    d = os.path.join(tmp, "warnings")
    shutil.copytree(os.path.join(ROOT, "data"), d)
    with open(os.path.join(d, "authorities.yaml"), "a", encoding="utf-8") as f:
        for i in range(1, 7):
            f.write(f"- heading: Organisme fictif {i}\n  variants: [Organisme Fictif {i}]\n")
    r = run([CLASSEUR, "check", "--data", d])
    shown = [l for l in r.stderr.splitlines() if "no resource names 'Organisme fictif" in l]
    check("check: three warnings of a kind, then a count", r.returncode == 0 and len(shown) == 3 and
          "classeur: warning: 3 more warnings like those above (classeur check --verbose lists them all)" in r.stderr and
          "0 errors, 7 warnings" in r.stdout, r.stderr)
    r = run([CLASSEUR, "check", "--data", d, "--verbose"])
    shown = [l for l in r.stderr.splitlines() if "no resource names 'Organisme fictif" in l]
    check("check --verbose: every warning", len(shown) == 6 and "more warnings" not in r.stderr, r.stderr)


def main():
    if not os.path.exists(CLASSEUR):
        print("build/classeur is missing: run make first")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        test_handout(tmp)
        test_all_courses(tmp)
        test_failures(tmp)
        test_batches(tmp)
        test_conventions(tmp)
        test_choosing(tmp)
        test_yaml_mistakes(tmp)
        test_warning_kinds(tmp)
        test_list_json()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
