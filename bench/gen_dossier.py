"""Writes a synthetic dossier of about N entries: the real dossier (data/) repeated.

Copy k of the dossier gets new resource ids (suffix -kK), chapters renumbered after those
of copy k-1, and the same notes, extracts and references word for word, so that the
text has the lengths, the words and the structure of real data. Addresses and the
default course follow the copies. Usage: gen_dossier.py COPIES OUTDIR"""
import copy
import os
import re
import shutil
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(ROOT, "data")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(obj, f, allow_unicode=True, sort_keys=False, width=100000)


def renumber(number, shift):
    head, _, rest = str(number).partition(".")
    new = str(int(head) + shift)
    return new + ("." + rest if rest else "")


def main():
    copies, out = int(sys.argv[1]), sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "resources"))
    os.makedirs(os.path.join(out, "sections"))
    os.makedirs(os.path.join(out, "courses"))
    for name in ("dossier.yaml", "diplomas.yaml", "authorities.yaml"):
        shutil.copy(os.path.join(DATA, name), out)
    res_files = sorted(os.listdir(os.path.join(DATA, "resources")))
    sec_files = sorted(os.listdir(os.path.join(DATA, "sections")))
    chapters = 0
    for f in sec_files:
        for s in load(os.path.join(DATA, "sections", f)) or []:
            if "number" in s and "." not in str(s["number"]):
                chapters = max(chapters, int(s["number"]))
    ids = set()
    for f in res_files:
        for r in load(os.path.join(DATA, "resources", f)) or []:
            ids.add(r["id"])

    def rid(i, k):
        return i if k == 0 else f"{i}-k{k}"

    addresses = load(os.path.join(DATA, "addresses.yaml")) or []
    new_addresses = []
    for k in range(copies):
        for f in res_files:
            recs = load(os.path.join(DATA, "resources", f)) or []
            for r in recs:
                r["id"] = rid(r["id"], k)
            dump(recs, os.path.join(out, "resources", f"{k:04d}-{f}"))
        for f in sec_files:
            secs = load(os.path.join(DATA, "sections", f)) or []
            for s in secs:
                if "number" in s:
                    s["number"] = renumber(s["number"], chapters * k)
                for e in s.get("entries", []) or []:
                    if e.get("resource") in ids:
                        e["resource"] = rid(e["resource"], k)
            dump(secs, os.path.join(out, "sections", f"{k:04d}-{f}"))
        for a in addresses:
            b = copy.deepcopy(a)
            b["id"] = rid(a["id"], k)
            new_addresses.append(b)
    dump(new_addresses, os.path.join(out, "addresses.yaml"))
    for f in os.listdir(os.path.join(DATA, "courses")):
        shutil.copy(os.path.join(DATA, "courses", f), os.path.join(out, "courses", f))


if __name__ == "__main__":
    main()
