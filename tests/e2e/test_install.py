"""Installing: make install into a temporary prefix gives a program that builds the demo
from any folder with the fonts, layouts and data installed beside it; the manual pages
(English and French) pass groff's warnings; the bash completion completes commands,
options, layouts and course files; make uninstall removes everything it installed.
Runs from the repository root with build/classeur built."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, check, finish, run  # noqa: E402


def files_under(d):
    out = []
    for root, _dirs, files in os.walk(d):
        out += [os.path.relpath(os.path.join(root, f), d) for f in files]
    return sorted(out)


with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")
    r = run(["make", "-s", "install", f"PREFIX={prefix}"], cwd=ROOT)
    check("make install into a temporary prefix", r.returncode == 0, r.stderr[-400:])
    exe = os.path.join(prefix, "bin", "classeur")
    installed = files_under(prefix)
    for f in ("bin/classeur", "share/man/man1/classeur.1", "share/man/fr/man1/classeur.1",
              "share/bash-completion/completions/classeur", "share/classeur/fonts/LiberationSerif-Regular.ttf",
              "share/classeur/layouts/default.yaml", "share/classeur/data/dossier.yaml",
              "share/classeur/data/courses/bts-sp3s-module-c.yaml", "share/locale/fr/LC_MESSAGES/classeur.mo"):
        check(f"installed: {f}", f in installed)
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(elsewhere)
    r = run([exe, "build", "--all"], cwd=elsewhere)
    out = os.path.join(elsewhere, "out")
    check("the installed program builds the demo from another folder", r.returncode == 0 and
          len([f for f in files_under(out) if f.endswith(".pdf")]) == 13, r.stderr)
    r = run([exe, "check"], cwd=elsewhere)
    check("the installed program reads its installed data", r.returncode == 0 and
          r.stdout.startswith(os.path.join(prefix, "share", "classeur", "data") + ":"), r.stdout)
    r = run([exe, "check"], cwd=elsewhere, env={"LANG": "fr_FR.UTF-8"})
    en = run([exe, "check"], cwd=elsewhere)
    check("the installed program finds its French messages (share/locale)", r.returncode == 0 and
          r.stdout != en.stdout and r.stdout.startswith(os.path.join(prefix, "share", "classeur", "data") + " :"),
          r.stdout)
    r = run([exe, "--version"], cwd=elsewhere)
    check("the installed program: --version", r.returncode == 0 and r.stdout.startswith("classeur "), r.stdout)
    for page in ("share/man/man1/classeur.1", "share/man/fr/man1/classeur.1"):
        g = run(["groff", "-ww", "-K", "utf8", "-man", "-z", os.path.join(prefix, page)])
        check(f"{page}: groff -ww finds nothing to warn about", g.returncode == 0 and g.stderr == "", g.stderr)
    m = run(["man", "-l", os.path.join(prefix, "share/man/man1/classeur.1")], env={"MANWIDTH": "80"})
    check("man page: every command and the exit status", all(w in m.stdout for w in (
        "check", "list", "build", "binder", "preview", "trace", "links", "new-course", "export", "import",
        "EXIT STATUS", "130")), m.stdout[:300])
    comp = os.path.join(prefix, "share/bash-completion/completions/classeur")
    script = f"""shopt -s extglob
source '{comp}'
c() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _classeur; echo "${{COMPREPLY[*]}}"; }}
c classeur bu
c classeur build --la
c classeur build --layout large
c classeur build -k st
c classeur help new
c classeur build data/courses/bts-sp3s-module-c
c classeur ex
c classeur export --format c
c classeur build -k w
c classeur import tests/data/exchange/zotero.r
c classeur import --in
"""
    b = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT)
    lines = b.stdout.splitlines()
    check("completion: commands, options, layouts, kinds, help topics, course files, formats, files to import",
          lines == ["build", "--layout", "large-print", "study", "new-course", "data/courses/bts-sp3s-module-c.yaml",
                    "export", "csl-json", "web", "tests/data/exchange/zotero.ris", "--into"],
          lines + [b.stderr])
    r = run(["make", "-s", "uninstall", f"PREFIX={prefix}"], cwd=ROOT)
    check("make uninstall removes every file it installed", r.returncode == 0 and files_under(prefix) == [],
          files_under(prefix)[:10])
sys.exit(finish())
