"""Messages in French and in English (issue 14).

- the catalogue po/fr.po has every message of the sources (scripts/messages.sh collects
  them), none fuzzy, and msgfmt --check accepts it;
- on every case of the bad-data corpus (tests/data/bad), `check` prints exactly
  expected.txt with LANG=C.UTF-8 and exactly expected.fr.txt with LANG=fr_FR.UTF-8, and
  no line of the French output is an English message (REGENERATE_FR=1 rewrites the
  expected.fr.txt files: review their diff);
- help, usage errors, summaries of check, list, build, links and new-course speak French
  in a French locale, English otherwise, with the same exit status;
- the language comes from LANGUAGE, LC_ALL, LC_MESSAGES and LANG as gettext documents;
  numbers keep their point (only the messages follow the locale).
Runs from the repository root with build/classeur and its catalogues built."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import bad_data, CLASSEUR, COURSE, ROOT, check, finish, run  # noqa: E402

GOOD = os.path.join(ROOT, "tests", "data", "good")
BAD = os.path.join(ROOT, "tests", "data", "bad")
TMP = tempfile.mkdtemp(prefix="classeur-messages-")
FR = {"LANG": "fr_FR.UTF-8"}
EN = {"LANG": "C.UTF-8"}


def parse_po(path):
    """The (msgid, msgstr) pairs of a PO file (plural forms: each form), header left out."""
    pairs, cur, field = [], {}, None
    def flush():
        if cur.get("msgid"):
            ids = [cur["msgid"]] + ([cur["msgid_plural"]] if "msgid_plural" in cur else [])
            strs = [v for k, v in sorted(cur.items()) if k.startswith("msgstr")]
            for i, m in enumerate(ids):
                pairs.append((m, strs[min(i, len(strs) - 1)] if strs else ""))
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and cur:
                flush()
                cur, field = {}, None
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?)\s+"(.*)"$', line)
        if m:
            field = m.group(1)
            cur[field] = m.group(2)
        elif line.startswith('"') and field:
            cur[field] += line[1:-1]
    flush()
    unescape = lambda s: s.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
    return [(unescape(a), unescape(b)) for a, b in pairs]


CONV = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t|L)?[diouxXcsfgeEp%]")


def english_patterns(pairs):
    """Regexes of the English message lines that have words of their own (two words of
    three letters or more outside the conversions) and that the French translation
    changes: a French output line matching one is an untranslated message."""
    pats = []
    for msgid, msgstr in pairs:
        fr_lines = set(l.strip() for l in msgstr.split("\n"))
        for line in msgid.split("\n"):
            line = line.strip()
            if not line or line in fr_lines:
                continue
            parts = CONV.split(line)
            words = re.findall(r"[A-Za-z]{3,}", " ".join(parts))
            # a quoted value or an option name is not English prose
            prose = re.sub(r"'[^']*'|--?[a-z][a-z-]*|\b[a-z]+[-_][a-z-_]+\b", " ", " ".join(parts))
            if len(re.findall(r"\b[A-Za-z]{3,}\b", prose)) < 2 or len(words) < 2:
                continue
            pats.append((line, re.compile(".*?".join(re.escape(p) for p in parts))))
    return pats


def english_lines(text, pats):
    """The lines of text that are English messages."""
    bad = []
    for l in text.splitlines():
        for src, p in pats:
            if p.search(l):
                bad.append(f"{l!r} (English: {src!r})")
                break
    return bad


# ---- the French locale and the catalogue --------------------------------------------------

locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
check("the fr_FR.UTF-8 locale is installed (scripts/deps.sh test generates it)",
      "fr_fr.utf8" in locales or "fr_fr.utf-8" in locales, locales)

pot = os.path.join(TMP, "classeur.pot")
r = run(["sh", os.path.join(ROOT, "scripts", "messages.sh"), pot])
check("scripts/messages.sh collects the messages", r.returncode == 0 and os.path.exists(pot), r.stderr)
merged = os.path.join(TMP, "fr.po")
r = run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, os.path.join(ROOT, "po", "fr.po"), pot])
check("po/fr.po merges with the sources' messages", r.returncode == 0, r.stderr)
untranslated = run(["msgattrib", "--untranslated", "--no-obsolete", merged]).stdout
check("po/fr.po translates every message of the sources (make pot, then translate)",
      "msgid" not in untranslated.replace('msgid ""\nmsgstr ""', "", 1), untranslated[:1500])
fuzzy = run(["msgattrib", "--only-fuzzy", "--no-obsolete", merged]).stdout
check("po/fr.po has no fuzzy translation", "msgid" not in fuzzy.replace('msgid ""\nmsgstr ""', "", 1),
      fuzzy[:1500])
r = run(["msgfmt", "--check", "--statistics", "-o", os.devnull, os.path.join(ROOT, "po", "fr.po")])
check("msgfmt --check accepts po/fr.po (formats agree with their English)", r.returncode == 0, r.stderr)
obsolete = [l for l in open(os.path.join(ROOT, "po", "fr.po"), encoding="utf-8") if l.startswith("#~")]
check("po/fr.po keeps no obsolete message", not obsolete, obsolete[:5])

pairs = parse_po(os.path.join(ROOT, "po", "fr.po"))
PATS = english_patterns(pairs)
check("the English messages give patterns to look for", len(PATS) > 200, len(PATS))
check("the pattern finder sees an untranslated message",
      english_lines("x.yaml:3:1: error: could not read it", [(a, re.compile(re.escape(a).replace("%s", ".*?")))
                                                              for a in ["could not read %s"]]) != [])


# ---- the bad-data corpus, in both languages ------------------------------------------------

def data_with(case, tag=""):
    """A data folder: tests/data/good with the case's files over it."""
    return bad_data(TMP, case, tag)


def diag_lines(text, d, words):
    return "".join(l + "\n" for l in text.replace(d, "DATA").replace(ROOT + "/", "").splitlines()
                   if any(f": {w}: " in l for w in words))


cases = sorted(c for c in os.listdir(BAD) if os.path.isdir(os.path.join(BAD, c)))
for case in cases:
    d = data_with(case)
    en = run([CLASSEUR, "check", "--verbose", "--data", d], env=EN)
    fr = run([CLASSEUR, "check", "--verbose", "--data", d], env=FR)
    want_en = open(os.path.join(BAD, case, "expected.txt"), encoding="utf-8").read()
    got_en = diag_lines(en.stderr, d, ["error", "warning"])
    check(f"{case}: check in English prints expected.txt", got_en == want_en, f"got:\n{got_en}\nwant:\n{want_en}")
    fr_path = os.path.join(BAD, case, "expected.fr.txt")
    got_fr = diag_lines(fr.stderr, d, ["erreur", "avertissement"])
    if os.environ.get("REGENERATE_FR"):  # after changing French messages: review the diff before committing
        with open(fr_path, "w", encoding="utf-8") as f:
            f.write(got_fr)
    want_fr = open(fr_path, encoding="utf-8").read() if os.path.exists(fr_path) else None
    check(f"{case}: check in French prints expected.fr.txt", got_fr == want_fr,
          f"got:\n{got_fr}\nwant:\n{want_fr}")
    check(f"{case}: the same exit status in both languages", en.returncode == fr.returncode,
          (en.returncode, fr.returncode))
    check(f"{case}: as many lines in both languages", len(en.stderr.splitlines()) == len(fr.stderr.splitlines())
          and len(en.stdout.splitlines()) == len(fr.stdout.splitlines()), (en.stderr, fr.stderr))
    left = english_lines(fr.stdout + fr.stderr, PATS)
    check(f"{case}: no English message in the French output", not left, left)
    check(f"{case}: the French output is not the English one", got_fr != got_en or not got_en, got_fr)


# ---- the commands, in both languages ---------------------------------------------------------

OUT = os.path.join(TMP, "out")
COMMANDS = [
    ("no argument", []),
    ("help", ["help"]),
    ("help build", ["help", "build"]),
    ("build --help", ["build", "--help"]),
    ("preview --help", ["preview", "--help"]),
    ("links --help", ["links", "--help"]),
    ("new-course --help", ["new-course", "--help"]),
    ("an unknown command", ["bulid"]),
    ("an unknown option", ["build", COURSE, "--colour"]),
    ("a repeated option", ["build", COURSE, "-k", "handout", "-k", "study"]),
    ("a misspelt course id", ["build", "bts-sp3s-module-x"]),
    ("a contact sheet not in PNG", ["preview", COURSE, "--contact", "x.jpg"]),
    ("check of the shipped data", ["check"]),
    ("list --titles", ["list", "--titles", "--type", "podcast"]),
    ("a build", ["build", COURSE, "-k", "handout", "-o", OUT, "-v"]),
    ("new-course refusing to overwrite", ["new-course", "bts-sp3s-module-c", "--diploma", "bts-sp3s",
                                          "--module", "C"]),
    ("links with an unknown option", ["links", "--fast"]),
    ("trace without a course", ["trace"]),
]
for name, args in COMMANDS:
    en = run([CLASSEUR] + args, env=EN)
    fr = run([CLASSEUR] + args, env=FR)
    check(f"{name}: the same exit status in both languages ({en.returncode})", en.returncode == fr.returncode,
          (en.returncode, fr.returncode, fr.stderr[-300:]))
    text_en, text_fr = en.stdout + en.stderr, fr.stdout + fr.stderr
    check(f"{name}: says something", text_fr.strip() != "", fr)
    if name != "list --titles":  # ids, types and titles only: the same in both languages
        check(f"{name}: French differs from English", text_fr != text_en, text_fr[:500])
    left = english_lines(text_fr, PATS)
    check(f"{name}: no English message in French", not left, left[:5])

r = run([CLASSEUR, "help", "build"], env=FR)
check("help build in French: a usage line and the options described in French",
      r.returncode == 0 and "classeur build" in r.stdout and "--layout" in r.stdout and "mise en page" in r.stdout,
      r.stdout)
r = run([CLASSEUR, "build", COURSE, "-k", "handout", "-o", OUT, "-v"], env=FR)
m = re.search(r"(\d+)\.(\d{3}) s", r.stderr)
check("the build summary in French keeps the point in numbers (only the messages follow the locale)",
      m is not None and "document" in r.stderr, r.stderr)
r = run([CLASSEUR, "--version"], env=FR)
check("--version is the same in both languages", r.stdout == run([CLASSEUR, "--version"], env=EN).stdout, r.stdout)


# ---- how the language is chosen --------------------------------------------------------------

def lang_of(env):
    r = run([CLASSEUR, "bulid"], env=env)
    if "commande 'bulid' inconnue" in r.stderr:
        return "fr"
    if "unknown command" in r.stderr:
        return "en"
    return r.stderr


for env, want in [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "en"}, "en"),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "de:fr"}, "fr"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # a language without a catalogue (and not installed)
]:
    got = lang_of(env)
    check(f"language with {env}: {want}", got == want, got)

shutil.rmtree(TMP, ignore_errors=True)
sys.exit(finish())
