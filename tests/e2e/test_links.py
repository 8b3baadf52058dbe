"""End-to-end tests of `classeur links`: a small HTTP server of our own on 127.0.0.1
answers the addresses of a test data folder (alive, 404, permanent and temporary
redirects, a redirect loop, HEAD refused, a slow page past the timeout); the test checks
every line `links` prints, its summary and exit status, then `--update`: today's date
and the new addresses written into addresses.yaml with its comments and order kept.
Never the real internet.

Each check prints "ok - name" or "FAIL - name: why"; the last line is
"N passed, M failed". Exit status 1 when anything failed."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import CLASSEUR, ROOT, check, finish, run

SEEN = []  # (method, path) of every request


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, location=None, body=b"<html><body>ok</body></html>"):
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def route(self):
        SEEN.append((self.command, self.path))
        p = self.path
        if p in ("/ok", "/new", "/new2"):
            return self.reply(200)
        if p == "/gone":
            return self.reply(404)
        if p == "/old":
            return self.reply(301, "/new")
        if p == "/old2":
            return self.reply(308, "/new2")
        if p == "/temp":
            return self.reply(302, "/ok")
        if p == "/loop":
            return self.reply(301, "/loop")
        if p == "/nohead":
            return self.reply(405 if self.command == "HEAD" else 200)
        if p == "/slow":
            time.sleep(4)
            return self.reply(200)
        return self.reply(500)

    do_HEAD = route
    do_GET = route


def env_without_proxy():
    e = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    e["no_proxy"] = "127.0.0.1"
    return e


def make_data(tmp, base):
    data = os.path.join(tmp, "data")
    shutil.copytree(os.path.join(ROOT, "tests", "data", "good"), data)
    res = os.path.join(data, "resources", "a.yaml")
    text = open(res, encoding="utf-8").read()
    text = text.replace("https://www.insee.fr/fr/statistiques/4241397", base + "/ok")
    text = text.replace("http://www.franceculture.fr/", base + "/old")
    text = text.replace("https://www.defenseurdesdroits.fr/rapport-2019.pdf", base + "/nohead")
    text = text.replace("https://www.defenseurdesdroits.fr/", base + "/gone")  # overridden below
    text = text.replace("  url: https://www.youtube.com/watch?v=abc\n", "")
    open(res, "w", encoding="utf-8").write(text)
    with open(os.path.join(data, "resources", "b.yaml"), "w", encoding="utf-8") as f:
        f.write("- id: site-lent\n  type: site\n  title: Un site lent\n"
                "- id: site-boucle\n  type: site\n  title: Un site qui tourne en rond\n")
    addresses = (
        "# Addresses of the test dossier: these comments must survive --update.\n"
        "\n"
        "- id: rapport-defenseur          # wins over the url of resources/a.yaml\n"
        "  address: " + base + "/temp\n"
        "  evidence:\n"
        "    kind: publisher-page\n"
        "    seen_at: " + base + "/temp\n"
        "    quote: \"Dématérialisation et inégalités d'accès aux services publics\"\n"
        "- id: rapport-defenseur\n"
        "  link: Synthèse\n"
        "  address: " + base + "/gone\n"
        "\n"
        "# moved permanently (308)\n"
        "- id: video-teleconsultation\n"
        "  address: \"" + base + "/old2\"   # quoted on purpose\n"
        "  accessed: 2020-01-01\n"
        "- id: site-lent\n"
        "  address: " + base + "/slow\n"
        "- id: site-boucle\n"
        "  address: " + base + "/loop\n"
    )
    with open(os.path.join(data, "addresses.yaml"), "w", encoding="utf-8") as f:
        f.write(addresses)
    return data


def line_of(path, needle, nth=1):
    k = 0
    for i, l in enumerate(open(path, encoding="utf-8"), 1):
        if needle in l:
            k += 1
            if k == nth:
                return i
    return 0


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    env = env_without_proxy()
    tmp = tempfile.mkdtemp(prefix="classeur-links-")
    try:
        data = make_data(tmp, base)
        addr = os.path.join(data, "addresses.yaml")
        res_a = os.path.join(data, "resources", "a.yaml")
        r = run([CLASSEUR, "check", "--data", data], env=env)
        check("the test data folder passes check", r.returncode == 0, r.stderr)

        t0 = time.time()
        r = run([CLASSEUR, "links", "--data", data, "--timeout", "1", "--jobs", "4"], env=env)
        elapsed = time.time() - t0
        check("links exits 1 when some address is not alive", r.returncode == 1, r.stdout + r.stderr)
        check("summary line on stdout",
              r.stdout.strip() == "links: 8 checked, 3 alive, 2 moved, 2 dead, 1 unreachable", r.stdout)
        want = [
            f"{addr}:{line_of(addr, '/gone')}:12: dead (HTTP 404): rapport-defenseur (sub-link 'Synthèse'): {base}/gone",
            f"{addr}:{line_of(addr, '/old2')}:12: moved permanently: video-teleconsultation: {base}/old2 -> {base}/new2",
            f"{addr}:{line_of(addr, '/slow')}:12: timed out after 1 s: site-lent: {base}/slow",
            f"{addr}:{line_of(addr, '/loop')}:12: dead (more than 10 redirects): site-boucle: {base}/loop",
            f"{res_a}:{line_of(res_a, '/old')}:8: moved permanently: podcast-illectronisme: {base}/old -> {base}/new",
        ]
        got = [l for l in r.stderr.splitlines() if l]
        check("one line per problem, naming file, line, column, id and address, in file order",
              got == want, "\n".join(got) + "\n--- expected ---\n" + "\n".join(want))
        check("the timeout is per request: the run does not wait for the slow page", elapsed < 3.5, f"{elapsed:.1f} s")
        check("HEAD first", ("HEAD", "/ok") in SEEN and ("GET", "/ok") not in SEEN, SEEN)
        check("GET when HEAD is refused (405)", ("HEAD", "/nohead") in SEEN and ("GET", "/nohead") in SEEN, SEEN)
        check("redirects followed hop by hop", ("HEAD", "/new") in SEEN and ("HEAD", "/ok") in SEEN, SEEN)
        check("the overridden url of the resources file is not asked for",
              not any(p == "/gone" and m == "HEAD" for m, p in SEEN) or line_of(addr, "/gone") > 0, SEEN)

        r = run([CLASSEUR, "links", "--data", data, os.path.join(data, "courses", "c.yaml")], env=env)
        check("links COURSE.yaml checks only the course's resources",
              r.stdout.strip() == "links: 2 checked, 1 alive, 1 moved, 0 dead", r.stdout + r.stderr)

        before = open(addr, encoding="utf-8").read()
        sde = "1796083200"  # 2026-12-01 00:00 UTC
        r = run([CLASSEUR, "links", "--data", data, "--timeout", "1", "--update"],
                env=dict(env, SOURCE_DATE_EPOCH=sde, TZ="UTC"))
        check("links --update still exits 1 (dead addresses remain)", r.returncode == 1, r.stdout + r.stderr)
        check("--update says what it wrote", f"links: {addr} updated (5 addresses dated, 2 moved)" in r.stdout, r.stdout)
        after = open(addr, encoding="utf-8").read()
        expected = before
        expected = expected.replace(f"  address: {base}/temp\n",
                                    f"  address: {base}/temp\n  accessed: 2026-12-01\n")
        expected = expected.replace(f"  address: \"{base}/old2\"   # quoted on purpose\n  accessed: 2020-01-01\n",
                                    f"  address: {base}/new2   # quoted on purpose\n  accessed: 2026-12-01\n")
        expected += (f"- id: insee-premiere-1780\n  address: {base}/ok\n  accessed: 2026-12-01\n"
                     f"- id: podcast-illectronisme\n  address: {base}/new\n  accessed: 2026-12-01\n"
                     f"- id: rapport-defenseur\n  link: \"Rapport d'activité 2019\"\n  address: {base}/nohead\n"
                     f"  accessed: 2026-12-01\n")
        check("addresses.yaml edited in place: comments, order and quoting kept, dates and moves written, "
              "resources-file addresses appended", after == expected,
              "\n".join(l for l in subprocess.run(["diff", "-u", "-", addr], input=expected, capture_output=True,
                                                   text=True).stdout.splitlines()[:40]))
        check("no temporary file left beside addresses.yaml",
              sorted(os.listdir(data)) == ["addresses.yaml", "courses", "diplomas.yaml", "dossier.yaml", "resources",
                                           "sections"], os.listdir(data))
        r = run([CLASSEUR, "check", "--data", data], env=env)
        check("the updated data still passes check", r.returncode == 0, r.stderr)
        r = run([CLASSEUR, "list", "--json", "--data", data], env=env)
        check("the access date reaches the catalogue", '"accessed":"2026-12-01"' in r.stdout, r.stdout[:300])

        # a second --update has nothing left to move: only dates change
        r = run([CLASSEUR, "links", "--data", data, "--timeout", "1", "--update"],
                env=dict(env, SOURCE_DATE_EPOCH="1796169600", TZ="UTC"))
        again = open(addr, encoding="utf-8").read()
        check("a second --update only rewrites the dates",
              again == after.replace("accessed: 2026-12-01", "accessed: 2026-12-02"), again[-400:])

        # a read-only data folder: the file stays as it was, the error names it
        os.chmod(data, 0o555)
        try:
            r = run([CLASSEUR, "links", "--data", data, "--timeout", "1", "--update"], env=env)
            if os.geteuid() != 0:
                check("--update in a read-only folder: an error naming the file, nothing changed",
                      r.returncode == 1 and addr in r.stderr and open(addr, encoding="utf-8").read() == again,
                      r.stderr)
        finally:
            os.chmod(data, 0o755)

        r = run([CLASSEUR, "links", "--jobs", "0", "--data", data], env=env)
        check("--jobs 0: usage error with the accepted range", r.returncode == 2 and "accepted: 1 to 64" in r.stderr,
              r.stderr)
        r = run([CLASSEUR, "links", "--frobnicate"], env=env)
        check("unknown option: usage error", r.returncode == 2 and "unknown option '--frobnicate'" in r.stderr,
              r.stderr)
        r = run([CLASSEUR, "links", "--help"], env=env)
        check("links --help on stdout, exit 0", r.returncode == 0 and r.stdout.startswith("usage: classeur links"),
              r.stdout)

        # an address file with an error: links refuses, as build does
        with open(addr, "a", encoding="utf-8") as f:
            f.write("- id: nobody\n  address: https://example.org/\n")
        r = run([CLASSEUR, "links", "--data", data], env=env)
        check("data errors: links refuses with the check's messages", r.returncode == 1 and
              re.search(r"addresses\.yaml:\d+:\d+: error: unknown resource 'nobody'", r.stderr) is not None, r.stderr)
    finally:
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
