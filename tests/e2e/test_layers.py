"""The layering the source folders promise: each folder includes only from the folders
below it, never from one above or beside it.

    util  <-  model  <-  typeset  <-  compose  <-  render  <-  cli
                    <-  links (dead-link checks: util and model only)  <-  cli
                    <-  exchange (RIS, CSL-JSON, BibTeX: util and model only)  <-  cli

A file of src/A/ may include "X.h" (its own folder) or "../B/X.h" where B is lower than
A. An include running upward (typeset including compose, render including cli…) or
sideways (links, exchange and typeset) fail this test, naming the file and the line."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, check, finish  # noqa: E402

RANK = {"util": 0, "model": 1, "links": 2, "exchange": 2, "typeset": 2, "compose": 3, "render": 4, "cli": 5}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def violations(src):
    """Every include that runs upward or sideways: (file, line number, text, why)."""
    out = []
    for folder in sorted(os.listdir(src)):
        d = os.path.join(src, folder)
        if not os.path.isdir(d):
            continue
        if folder not in RANK:
            out.append((d, 0, "", f"folder '{folder}' has no place in the layering (add it to RANK)"))
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                for no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = os.path.normpath(os.path.join(folder, m.group(1)))
                    parts = target.split(os.sep)
                    other = parts[0] if len(parts) > 1 else folder
                    if other == folder:
                        continue
                    if other not in RANK:
                        out.append((path, no, line.strip(), f"includes '{target}' outside src/'s folders"))
                    elif RANK[other] >= RANK[folder]:
                        way = "upward" if RANK[other] > RANK[folder] else "sideways"
                        out.append((path, no, line.strip(), f"{folder} includes {other}: {way}"))
    return out


def main():
    bad = violations(os.path.join(ROOT, "src"))
    check("every #include runs down the layers (util <- model <- typeset <- compose <- render <- cli)",
          not bad, "\n".join(f"{os.path.relpath(p, ROOT)}:{n}: {why}: {t}" for p, n, t, why in bad))
    # the check itself fails on an upward include
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for folder in ("typeset", "compose"):
            os.makedirs(os.path.join(tmp, folder))
        with open(os.path.join(tmp, "typeset", "x.c"), "w") as f:
            f.write('#include "x.h"\n#include "../compose/documents.h"\n')
        with open(os.path.join(tmp, "compose", "y.c"), "w") as f:
            f.write('#include "../typeset/layout.h"\n')
        found = violations(tmp)
        check("an upward include is caught (typeset including compose)",
              len(found) == 1 and found[0][1] == 2 and "upward" in found[0][3], found)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
