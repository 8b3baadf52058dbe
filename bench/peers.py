"""Writes the content Classeur typesets as a Typst document and as a XeLaTeX document, so
that the three tools typeset the same thing in the benchmark (bench/README.md).

From `classeur list --json` (the catalogue as Classeur reads it): a title, a table of
contents, the sections as headings, and for every entry its reference (authors, title,
container, publisher, date, extent, address), its QR code when it has an address, its
note with its kind, its extracts and the pedagogical uses' activities. For a course (the
module C handout) the course's resources in its order, each with its note and its
guiding questions. QR codes: PNG pictures made by `qrencode` for Typst (what a Typst user
without a package does), the `qrcode` package for LaTeX (what a LaTeX user does).

Usage: peers.py CATALOGUE.json OUTDIR FONTS_DIR [--course ID]
Writes OUTDIR/doc.typ, OUTDIR/doc.tex and OUTDIR/qr/*.png."""
import json
import os
import re
import subprocess
import sys


def markup_pieces(text):
    """Classeur's inline markup: (piece, italic) in order (*italic*, **bold** read as plain)."""
    out = []
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if not part:
            continue
        if part.startswith("**"):
            out.append((part[2:-2], False))
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            out.append((part[1:-1], True))
        else:
            out.append((part, False))
    return out


def paragraphs(text):
    """Paragraphs and list items: (kind, text), kind "p" or "item"."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = block.split("\n")
        para = []
        for line in lines:
            if line.startswith("- "):
                if para:
                    out.append(("p", " ".join(para)))
                    para = []
                out.append(("item", line[2:]))
            else:
                para.append(line.strip())
        if para:
            out.append(("p", " ".join(para)))
    return out


def authors_text(r):
    names = []
    for a in r.get("authors", []):
        if "org" in a:
            names.append(a["org"])
        else:
            names.append(f"{a.get('family', '')}, {a.get('given', '')}".strip(", "))
    return "; ".join(names)


def reference(r):
    """(before the title, the title, after the title): a reference of the same length and
    parts as Classeur's ISO 690 one."""
    before = authors_text(r)
    after = []
    for k in ("container", "publisher", "issue", "volume", "date_label", "date"):
        if r.get(k):
            after.append(str(r[k]))
    if r.get("pages"):
        after.append(f"{r['pages']} p.")
    if r.get("duration_seconds"):
        after.append(f"{r['duration_seconds'] // 60} min")
    if r.get("url"):
        after.append("Disponible sur : " + r["url"])
    return (before + ". " if before else ""), r.get("title", ""), (". " + ", ".join(after) + "." if after else ".")


# ---- Typst ------------------------------------------------------------------------------

def ts(s):
    """A Typst string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typ_inline(text):
    return " ".join(f"#emph({ts(p)})" if it else f"#{ts(p)}" for p, it in markup_pieces(text))


def typ_block(text, label=None):
    out = []
    first = True
    for kind, t in paragraphs(text):
        lead = f"#strong({ts(label + ' : ')}) " if first and label else ""
        first = False
        if kind == "item":
            out.append(f"- {lead}{typ_inline(t)}\n")
        else:
            out.append(f"{lead}{typ_inline(t)}\n\n")
    return "".join(out)


# ---- LaTeX ------------------------------------------------------------------------------

TEX_ESC = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "^": r"\^{}",
           "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}


def tx(s):
    return "".join(TEX_ESC.get(c, c) for c in s)


def tex_url_qr(url):
    return "".join("\\" + c if c in "#$&^_~%{}\\" else c for c in url)


def tex_inline(text):
    return "".join(r"\emph{" + tx(p) + "}" if it else tx(p) for p, it in markup_pieces(text))


def tex_block(text, label=None):
    out = []
    first = True
    in_list = False
    for kind, t in paragraphs(text):
        lead = r"\textbf{" + tx(label) + " :} " if first and label else ""
        first = False
        if kind == "item":
            if not in_list:
                out.append("\\begin{itemize}\n")
                in_list = True
            out.append(f"\\item {lead}{tex_inline(t)}\n")
        else:
            if in_list:
                out.append("\\end{itemize}\n")
                in_list = False
            out.append(f"{lead}{tex_inline(t)}\n\n")
    if in_list:
        out.append("\\end{itemize}\n")
    return "".join(out)


def main():
    cat = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    fonts = os.path.abspath(sys.argv[3]) + "/"
    course_id = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--course" else None
    os.makedirs(os.path.join(out, "qr"), exist_ok=True)
    res = {r["id"]: r for r in cat["resources"]}
    title = cat["dossier"].get("title", "Dossier documentaire")

    # what to print: [("heading", level, text) | ("entry", resource, note, extracts, uses, questions)]
    items = []
    if course_id:
        course = next(c for c in cat["courses"] if c["id"] == course_id)
        title = course["title"]
        notes = {}
        for s in cat["sections"]:
            for e in s["entries"]:
                notes.setdefault(e["resource"], e)
        for sel in course["resources"]:
            e = notes.get(sel["id"], {})
            items.append(("entry", res[sel["id"]], e.get("note"), [], [], sel.get("questions", [])))
    else:
        for s in cat["sections"]:
            num = s.get("number")
            items.append(("heading", s["level"], (num + " " if num else "") + s["title"]))
            for e in s["entries"]:
                r = res.get(e["resource"])
                if r:
                    items.append(("entry", r, e.get("note"), e.get("extracts", []), e.get("uses", []), []))

    qr_made = set()

    def qr_png(r):
        path = os.path.join(out, "qr", r["id"] + ".png")
        if r["id"] not in qr_made:
            subprocess.run(["qrencode", "-t", "PNG", "-s", "4", "-m", "4", "-l", "M", "-o", path, r["url"]],
                           check=True)
            qr_made.add(r["id"])
        return "qr/" + r["id"] + ".png"

    # Typst
    typ = [
        '#set page(paper: "a4", margin: (inside: 30mm, outside: 20mm, y: 25mm), numbering: "1 / 1")\n',
        '#set text(lang: "fr", font: "Liberation Serif", size: 10.5pt)\n',
        '#set par(justify: true)\n',
        '#show heading: set text(font: "Liberation Sans")\n',
        f"#align(center, text(size: 20pt, font: \"Liberation Sans\", weight: \"bold\", {ts(title)}))\n\n",
        "#outline()\n#pagebreak()\n\n",
    ]
    tex = [
        "\\documentclass[a4paper,10pt,twoside]{article}\n",
        "\\usepackage[inner=30mm,outer=20mm,top=25mm,bottom=25mm]{geometry}\n",
        "\\usepackage{fontspec}\n\\usepackage[french]{babel}\n\\usepackage{qrcode}\n",
        f"\\setmainfont{{LiberationSerif}}[Path={fonts}, Extension=.ttf, UprightFont=*-Regular, "
        "BoldFont=*-Bold, ItalicFont=*-Italic, BoldItalicFont=*-BoldItalic]\n",
        f"\\setsansfont{{LiberationSans}}[Path={fonts}, Extension=.ttf, UprightFont=*-Regular, "
        "BoldFont=*-Bold, ItalicFont=*-Italic]\n",
        "\\setcounter{secnumdepth}{0}\n\\setcounter{tocdepth}{3}\n",
        "\\begin{document}\n",
        f"\\begin{{center}}\\sffamily\\bfseries\\Large {tx(title)}\\end{{center}}\n",
        "\\tableofcontents\n\\clearpage\n",
    ]
    sect = {1: "section", 2: "subsection", 3: "subsubsection"}
    for it in items:
        if it[0] == "heading":
            _, level, text = it
            typ.append("=" * min(level, 4) + " " + typ_inline(text) + "\n\n")
            cmd = sect.get(level, "paragraph")
            tex.append(f"\\{cmd}{{{tx(text)}}}\n")
            continue
        _, r, note, extracts, uses, questions = it
        before, ttl, after = reference(r)
        ref_typ = f"#{ts(before)}#emph({ts(ttl)})#{ts(after)}"
        ref_tex = tx(before) + r"\emph{" + tx(ttl) + "}" + tx(after)
        if r.get("url"):
            typ.append(f"#grid(columns: (1fr, 22mm), gutter: 4mm, [{ref_typ}], image({ts(qr_png(r))}, width: 22mm))\n\n")
            tex.append("\\noindent\\begin{minipage}[t]{0.78\\linewidth}" + ref_tex +
                       "\\end{minipage}\\hfill\\begin{minipage}[t]{22mm}\\vspace{0pt}\\qrcode[height=22mm]{" +
                       tex_url_qr(r["url"]) + "}\\end{minipage}\n\n")
        else:
            typ.append(ref_typ + "\n\n")
            tex.append("\\noindent " + ref_tex + "\n\n")
        if note:
            typ.append(typ_block(note.get("text"), note.get("kind")))
            tex.append(tex_block(note.get("text"), note.get("kind")))
        for x in extracts:
            typ.append(typ_block(x.get("text"), x.get("label")))
            tex.append(tex_block(x.get("text"), x.get("label")))
        for u in uses:
            if u.get("activity"):
                typ.append(typ_block(u["activity"], "Exploitation pédagogique"))
                tex.append(tex_block(u["activity"], "Exploitation pédagogique"))
        if questions:
            typ.append("#strong(" + ts("Questions pour guider la lecture") + ")\n\n")
            tex.append("\\textbf{Questions pour guider la lecture}\n\\begin{enumerate}\n")
            for q in questions:
                typ.append("+ " + typ_inline(q) + "\n")
                tex.append("\\item " + tex_inline(q) + "\n")
            typ.append("\n")
            tex.append("\\end{enumerate}\n")
    tex.append("\\end{document}\n")
    with open(os.path.join(out, "doc.typ"), "w", encoding="utf-8") as f:
        f.write("".join(typ))
    with open(os.path.join(out, "doc.tex"), "w", encoding="utf-8") as f:
        f.write("".join(tex))


if __name__ == "__main__":
    main()
