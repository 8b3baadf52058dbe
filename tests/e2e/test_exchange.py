"""Exchange with reference managers and the web page of a course (issue 15).

- export: a course and the whole dossier in RIS, CSL-JSON and BibTeX; RIS records from
  'TY  -' to 'ER  -'; CSL-JSON checked against the CSL-JSON schema's rules (required id
  and type, the type among CSL's, names, dates and the other variables of the right
  kind); BibTeX read back by a real parser (python3-bibtexparser);
- round trip: every record of the dossier exported, then imported into the data folder
  emptied of its records, gives back the same export byte for byte, in each format, and
  the folder passes `check`;
- import of files in the shapes Zotero writes (accented names, an organisation, no date,
  a podcast, a video, a book): the records pass `check`; the same file twice: every
  record reported and skipped, the files unchanged; a broken file: its FILE:LINE:COL,
  exit 1, nothing written;
- the web page of a course: valid HTML (tidy), lang="fr", no script, every resource of
  the course with its link, one QR code per address, French spaces.
Runs from the repository root with build/classeur built."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import CLASSEUR, COURSE, ROOT, check, finish, run  # noqa: E402

try:
    import yaml
except ImportError:  # Debian's python3-yaml, when another python3 comes first in PATH
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml
try:
    import bibtexparser
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import bibtexparser

DATA = os.path.join(ROOT, "data")
FIX = os.path.join(ROOT, "tests", "data", "exchange")
TMP = tempfile.mkdtemp(prefix="classeur-exchange-")
ENV = {"SOURCE_DATE_EPOCH": "1764633600"}
FORMATS = {"ris": ".ris", "csl-json": ".json", "bibtex": ".bib"}


def read(p):
    with open(p, encoding="utf-8", newline="") as f:
        return f.read()


def tree_bytes(d):
    out = {}
    for root, _dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, d)] = fh.read()
    return out


def identified():
    ids = []
    for name in sorted(os.listdir(os.path.join(DATA, "resources"))):
        for r in yaml.safe_load(read(os.path.join(DATA, "resources", name))):
            if not r.get("unidentified"):
                ids.append(r["id"])
    return ids


IDS = identified()
course = yaml.safe_load(read(COURSE))
COURSE_IDS = [x if isinstance(x, str) else x["id"] for x in course["resources"]]

# ---- export ----------------------------------------------------------------------------

exports = {}
for fmt, ext in FORMATS.items():
    out = os.path.join(TMP, "course" + ext)
    r = run([CLASSEUR, "export", COURSE, "--format", fmt, "-o", out], env=ENV)
    check(f"export {fmt}: exit 0 and a summary naming the file", r.returncode == 0 and
          f"{len(COURSE_IDS)} references written to {out} ({fmt})" in r.stderr, r.stderr)
    exports[fmt] = read(out) if os.path.exists(out) else ""
    r2 = run([CLASSEUR, "export", "bts-sp3s-module-c", "--format", fmt], env=ENV)
    check(f"export {fmt}: the course id works as the file, to the standard output", r2.returncode == 0 and
          r2.stdout == exports[fmt].replace("\r\n", "\n"), r2.stderr)

ris = exports["ris"]
records = re.findall(r"TY  - .*?ER  - ", ris, re.S)
check("RIS: one record per resource of the course, each from 'TY  -' to 'ER  -'",
      len(records) == len(COURSE_IDS) and ris.startswith("TY  - ") and ris.rstrip().endswith("ER  -"),
      (len(records), ris[:300]))
check("RIS: lines end with CR LF and are 'XX  - value'", all(
    re.match(r"^[A-Z][A-Z0-9]  - ", l) for l in ris.split("\r\n") if l), [l for l in ris.split("\r\n")
                                                                            if l and not re.match(r"^[A-Z][A-Z0-9]  - ", l)][:3])
check("RIS: the ids are the record keys", [re.search(r"\r\nID  - (\S+)", x).group(1) for x in records] == COURSE_IDS,
      records[:1])

CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
             "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
             "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case",
             "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference",
             "patent", "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation",
             "report", "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty",
             "webpage"}
NAME_KEYS = {"family", "given", "literal", "dropping-particle", "non-dropping-particle", "suffix"}
STRING_KEYS = {"id", "title", "container-title", "publisher", "volume", "issue", "page", "number-of-pages",
               "dimensions", "note", "URL", "abstract"}


def csl_problems(items):
    """What a CSL-JSON consumer would refuse: the schema's rules for the variables used."""
    bad = []
    if not isinstance(items, list):
        return ["not an array"]
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            bad.append(f"{i}: not an object")
            continue
        for k in ("id", "type"):
            if k not in it:
                bad.append(f"{i}: no {k}")
        if it.get("type") not in CSL_TYPES:
            bad.append(f"{i}: type {it.get('type')!r}")
        for k, v in it.items():
            if k in STRING_KEYS and not isinstance(v, (str, int)):
                bad.append(f"{i}: {k} is {type(v).__name__}")
            elif k == "author":
                if not isinstance(v, list) or not all(isinstance(n, dict) and n and set(n) <= NAME_KEYS and
                                                      all(isinstance(x, str) and x for x in n.values()) for n in v):
                    bad.append(f"{i}: author {v!r}")
            elif k in ("issued", "accessed"):
                dp = v.get("date-parts") if isinstance(v, dict) else None
                if not (isinstance(dp, list) and len(dp) == 1 and 1 <= len(dp[0]) <= 3 and
                        all(isinstance(x, int) for x in dp[0])):
                    bad.append(f"{i}: {k} {v!r}")
            elif k not in STRING_KEYS | {"type"}:
                bad.append(f"{i}: unknown variable {k}")
    return bad


try:
    csl = json.loads(exports["csl-json"])
except ValueError as e:
    csl = None
    check("CSL-JSON: parses as JSON", False, e)
check("CSL-JSON: the schema's rules hold (id, type, names, dates, strings)", csl is not None and
      not csl_problems(csl), csl_problems(csl)[:5] if csl is not None else "")
check("CSL-JSON: one record per resource, with its id", csl is not None and [x.get("id") for x in csl] == COURSE_IDS,
      [x.get("id") for x in (csl or [])][:5])

from bibtexparser.bparser import BibTexParser  # noqa: E402

bib = bibtexparser.loads(exports["bibtex"], parser=BibTexParser(ignore_nonstandard_types=False))
check("BibTeX: a real parser reads one entry per resource, keyed by the ids",
      [e["ID"] for e in bib.entries] == COURSE_IDS, [e["ID"] for e in bib.entries][:5])
check("BibTeX: every entry has a title and a type of the mapping",
      all(e.get("title") and e["ENTRYTYPE"] in ("techreport", "article", "online", "misc") for e in bib.entries),
      [(e["ID"], e["ENTRYTYPE"]) for e in bib.entries if e["ENTRYTYPE"] not in ("techreport", "article", "online",
                                                                              "misc")][:3])

r = run([CLASSEUR, "export", COURSE, "--format", "marc"])
check("export: an unknown format is a usage error naming the accepted ones", r.returncode == 2 and
      "unknown --format 'marc' (accepted: ris, csl-json, bibtex)" in r.stderr, r.stderr)
r = run([CLASSEUR, "export"])
check("export: nothing to export is a usage error", r.returncode == 2 and "--dossier" in r.stderr, r.stderr)

# ---- round trip: the whole dossier, each format ---------------------------------------------


def emptied(tag):
    """The data folder without its records: resources files hold only the unidentified
    record, and no address file."""
    d = os.path.join(TMP, "empty-" + tag)
    shutil.copytree(DATA, d)
    shutil.rmtree(os.path.join(d, "resources"))
    os.remove(os.path.join(d, "addresses.yaml"))
    os.makedirs(os.path.join(d, "resources"))
    kept = []
    for name in sorted(os.listdir(os.path.join(DATA, "resources"))):
        kept += [r for r in yaml.safe_load(read(os.path.join(DATA, "resources", name))) if r.get("unidentified")]
    with open(os.path.join(d, "resources", "kept.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump(kept, f, allow_unicode=True, sort_keys=False)
    return d


def norm(v):
    """A value as the loader reads it: text (YAML may have typed it), authors as lists of dicts of text."""
    if v is None:
        return None
    if isinstance(v, list):
        return [{k: str(x) for k, x in a.items()} for a in v]
    return str(v)


def seconds(v):
    if v is None:
        return 0
    parts = [int(x) for x in str(v).split(":")]
    return sum(x * 60 ** i for i, x in enumerate(reversed(parts)))


ORIGINAL, ORIGINAL_URLS = {}, {}
for name in sorted(os.listdir(os.path.join(DATA, "resources"))):
    for x in yaml.safe_load(read(os.path.join(DATA, "resources", name))):
        ORIGINAL[x["id"]] = x
        if x.get("url"):
            ORIGINAL_URLS[x["id"]] = (x["url"], str(x.get("accessed", "")))
for x in yaml.safe_load(read(os.path.join(DATA, "addresses.yaml"))):
    if not x.get("link"):
        ORIGINAL_URLS[x["id"]] = (x["address"], str(x.get("accessed", "")))

for fmt, ext in FORMATS.items():
    src = os.path.join(TMP, "dossier" + ext)
    r = run([CLASSEUR, "export", "--dossier", "--format", fmt, "-o", src], env=ENV)
    check(f"round trip {fmt}: the dossier exports its {len(IDS)} records", r.returncode == 0 and
          f"{len(IDS)} references written" in r.stderr, r.stderr)
    d = emptied(fmt)
    r = run([CLASSEUR, "import", src, "--into", d], env=ENV)
    check(f"round trip {fmt}: import adds every record and every address", r.returncode == 0 and
          f"{len(IDS)} references added to {d}/resources/imported.yaml" in r.stderr, r.stderr[-1500:])
    c = run([CLASSEUR, "check", "--data", d])
    check(f"round trip {fmt}: the folder passes check (the sections and courses find their resources)",
          c.returncode == 0 and ": 0 errors" in c.stdout, (c.stdout, c.stderr[-1500:]))
    again = os.path.join(TMP, "again" + ext)
    r = run([CLASSEUR, "export", "--dossier", "--format", fmt, "-o", again, "--data", d], env=ENV)
    same = os.path.exists(again) and read(again) == read(src)
    if not same and os.path.exists(again):
        a, b = read(src).splitlines(), read(again).splitlines()
        diff = [(x, y) for x, y in zip(a, b) if x != y][:4] or (len(a), len(b))
    else:
        diff = r.stderr
    check(f"round trip {fmt}: the export of the imported records is the same, byte for byte", same, diff)
    got = {x["id"]: x for x in yaml.safe_load(read(os.path.join(d, "resources", "imported.yaml")))}
    got_urls = {x["id"]: (x["address"], str(x.get("accessed", ""))) for x in
                yaml.safe_load(read(os.path.join(d, "addresses.yaml"))) if not x.get("link")}
    differ = []
    for rid in IDS:
        a, b = ORIGINAL[rid], got.get(rid, {})
        for k in ("type", "authors", "title", "container", "publisher", "volume", "issue", "date", "pages",
                  "description"):
            if norm(a.get(k)) != norm(b.get(k)):
                differ.append(f"{rid} {k}: {a.get(k)!r} -> {b.get(k)!r}")
        if seconds(a.get("duration")) != seconds(b.get("duration")):
            differ.append(f"{rid} duration: {a.get('duration')!r} -> {b.get('duration')!r}")
        if ORIGINAL_URLS.get(rid) != got_urls.get(rid):
            differ.append(f"{rid} address: {ORIGINAL_URLS.get(rid)!r} -> {got_urls.get(rid)!r}")
    check(f"round trip {fmt}: every record comes back the same (ids, types, persons and organisations, titles, "
          "dates, addresses, every field)", len(got) == len(IDS) and not differ, differ[:6])

# ---- import of files in the shapes Zotero writes ----------------------------------------------

GOOD = os.path.join(ROOT, "tests", "data", "good")
for name in ("zotero.ris", "zotero.json", "zotero.bib"):
    d = os.path.join(TMP, "good-" + name)
    shutil.copytree(GOOD, d)
    r = run([CLASSEUR, "import", os.path.join(FIX, name), "--into", d], env=ENV)
    added = re.search(r"(\d+) references? added", r.stderr)
    check(f"{name}: imported", r.returncode == 0 and added is not None, r.stderr)
    check(f"{name}: a book has no Classeur type: a warning at its line, imported as 'rapport'",
          re.search(re.escape(os.path.join(FIX, name)) + r":\d+:\d+: warning: type '[^']+' has no Classeur type: "
                    r"imported as 'rapport'", r.stderr) is not None, r.stderr)
    path = os.path.join(d, "resources", "imported.yaml")
    recs = yaml.safe_load(read(path)) if os.path.exists(path) else []
    text = read(path) if os.path.exists(path) else ""
    check(f"{name}: the file says where the records came from", f"# Imported from {os.path.join(FIX, name)}" in text,
          text[:200])
    c = run([CLASSEUR, "check", "--data", d])
    check(f"{name}: every imported record passes check", c.returncode == 0, c.stderr[-800:])
    types = sorted({x["type"] for x in recs})
    check(f"{name}: podcasts, videos, sites, articles and reports come in as such",
          types == ["article", "podcast", "rapport", "site", "video"], types)
    people = [a for x in recs for a in x.get("authors", []) if "family" in a]
    orgs = [a for x in recs for a in x.get("authors", []) if "org" in a]
    check(f"{name}: accented names kept, split into family and given names",
          any(any(ch in a["family"] + a.get("given", "") for ch in "éèëïç") for a in people), people[:4])
    check(f"{name}: an organisation stays one name", len(orgs) >= 1 and not any("," in a.get("given", "")
                                                                               for a in people), orgs)
    check(f"{name}: a record without a date has none", any("date" not in x for x in recs), [x.get("date") for x in recs])
    ids = [x["id"] for x in recs]
    want = {"zotero.ris": ["lefevre-inclusion-2019", "arcep-barometre-numerique-2019"],
            "zotero.json": ["lefevre-inclusion-2019", "arcep-barometre-numerique-2019"],
            "zotero.bib": ["lefevre-inclusion-2019", "arcep-barometre-2019", "caron-aidants-2020"]}[name]
    check(f"{name}: ids from the keys (citation keys in lower case with '-'), else from author, title and year",
          all(w in ids for w in want), ids)
    for x in recs:
        check(f"{name}: id '{x['id']}' is a valid id", re.fullmatch(r"[a-z][a-z0-9-]{0,63}", x["id"]) is not None
              and not x["id"].endswith("-"), x["id"])
    before = tree_bytes(d)
    r = run([CLASSEUR, "import", os.path.join(FIX, name), "--into", d], env=ENV)
    check(f"{name}: imported twice: every record reported and skipped, exit 0",
          r.returncode == 0 and f"no reference added; {len(recs)} skipped (already there)" in r.stderr, r.stderr)
    check(f"{name}: imported twice: no file changed", tree_bytes(d) == before)

d = os.path.join(TMP, "bad")
shutil.copytree(GOOD, d)
before = tree_bytes(d)
r = run([CLASSEUR, "import", os.path.join(FIX, "bad-no-ty.ris"), "--into", d], env=ENV)
check("a file that is not RIS: its name and line, what is accepted, exit 1", r.returncode == 1 and
      re.search(re.escape(os.path.join(FIX, "bad-no-ty.ris")) + r":\d+:\d+: error: this is not an RIS file", r.stderr)
      is not None, r.stderr)
check("a file that is not RIS: nothing written", tree_bytes(d) == before)
r = run([CLASSEUR, "import", os.path.join(FIX, "zotero.ris"), "--into", d, "--file", "../x.yaml"])
check("import: --file must be a file name of resources/", r.returncode == 2 and "--file '../x.yaml'" in r.stderr,
      r.stderr)
r = run([CLASSEUR, "import", os.path.join(FIX, "zotero.txt"), "--into", d])
check("import: a file whose name does not say its format is a usage error", r.returncode == 2 and
      "does not say its format" in r.stderr, r.stderr)
r = run([CLASSEUR, "import", os.path.join(FIX, "zotero.ris"), "--into", d], env={"LANG": "fr_FR.UTF-8", **ENV})
check("import speaks French in a French locale", r.returncode == 0 and "références ajoutées" in r.stderr, r.stderr)

# ---- the web page of a course --------------------------------------------------------------------

out = os.path.join(TMP, "web")
r = run([CLASSEUR, "build", COURSE, "--kind", "web", "-o", out, "-v"])
page = os.path.join(out, "bts-sp3s-module-c", "index.html")
check("build --kind web writes out/<course>/index.html", r.returncode == 0 and os.path.exists(page), r.stderr)
html = read(page) if os.path.exists(page) else ""
t = subprocess.run(["tidy", "-errors", "-q", "-utf8", page], capture_output=True, text=True)
check("web page: valid HTML (tidy finds no error or warning)", t.returncode == 0 and t.stderr == "", t.stderr[:800])
check("web page: French, self-contained, no script", html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
      and "<script" not in html and "<link" not in html and " src=" not in html, html[:300])
levels = [int(x) for x in re.findall(r"<h([1-6])[ >]", html)]
check("web page: headings in order, from h1, no level skipped", levels and levels[0] == 1 and levels.count(1) == 1 and
      all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels)
addresses = [re.sub(r"^-? *", "", x) for x in []]
res = {}
for name in sorted(os.listdir(os.path.join(DATA, "resources"))):
    for x in yaml.safe_load(read(os.path.join(DATA, "resources", name))):
        res[x["id"]] = x
urls = {}
for rec in yaml.safe_load(read(os.path.join(DATA, "addresses.yaml"))):
    if not rec.get("link"):
        urls[rec["id"]] = rec["address"]
for rid in COURSE_IDS:
    if rid not in urls and res[rid].get("url"):
        urls[rid] = res[rid]["url"]
titles_missing = [rid for rid in COURSE_IDS if res[rid]["title"].split(":")[0].strip()[:20].replace("'", "’")
                  not in html.replace("\u00a0", " ").replace("\u202f", " ")]
check("web page: every resource of the course is there (its title)", not titles_missing, titles_missing)
hrefs = set(re.findall(r'href="([^"]+)"', html))
linked = [rid for rid in COURSE_IDS if rid in urls]
check("web page: every address of the course is a link", linked and all(
    urls[rid].replace("&", "&amp;") in hrefs for rid in linked), [urls[r] for r in linked if urls[r] not in hrefs])
check("web page: one inline SVG QR code per address", html.count("<svg") == len(linked), (html.count("<svg"), len(linked)))
check("web page: links say where they go (never 'cliquez ici')", "cliquez ici" not in html.lower())
check("web page: French typography (no-break space before ':')", "\u00a0:" in html)
r = run([CLASSEUR, "build", COURSE, "--kind", "web", "--layout", "dys", "-o", out])
check("build --kind web --layout: a usage error", r.returncode == 2 and "--layout does not apply to --kind web"
      in r.stderr, r.stderr)

shutil.rmtree(TMP, ignore_errors=True)
sys.exit(finish())
