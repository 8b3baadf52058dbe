#!/bin/sh
# The end-to-end commands under Valgrind's memcheck (part of `make check`): every command
# on the real data, every kind of document in several layouts, one job and two, previews
# and traces, and data that check and build refuse. A memory error, or a leak that
# is ours (tests/valgrind.supp names libhyphen's), fails the run. Valgrind's own status
# is 99, so that a command expected to exit 1 (refused data) is told apart from an error.
# Forked build jobs exit without freeing what they share with their parent (on purpose:
# the catalogue is the parent's copy), so the two-job run counts only definite leaks.
# Usage: sh tests/valgrind.sh BUILD_DIR (holding classeur; its out/ is used as scratch)
set -eu
# The messages compared are the English ones, whatever the machine's language.
unset LANGUAGE LC_ALL LC_MESSAGES; export LANG=C.UTF-8
cd "$(dirname "$0")/.."
B=${1:-build}
OUT=$(cd "$B" && pwd)/valgrind
rm -rf "$OUT"
mkdir -p "$OUT"
VG="valgrind -q --error-exitcode=99 --leak-check=full --suppressions=tests/valgrind.supp"
ALL="$VG --errors-for-leak-kinds=definite,possible"
COURSE=data/courses/bts-sp3s-module-c.yaml

# expect STATUS COMMAND...: run it, fail unless it exits with STATUS
expect() {
    want=$1
    shift
    set +e
    "$@" >"$OUT/stdout" 2>"$OUT/stderr"
    got=$?
    set -e
    if [ "$got" != "$want" ]; then
        echo "FAIL (status $got, expected $want): $*"
        tail -40 "$OUT/stderr"
        exit 1
    fi
    echo "ok - classeur ${*#*/classeur }"
}

expect 0 $ALL "$B/classeur" check
expect 0 $ALL "$B/classeur" list --json
expect 0 $ALL "$B/classeur" build --all --jobs 1 --out "$OUT/out"
expect 0 $VG --errors-for-leak-kinds=definite "$B/classeur" build --all --jobs 2 --layout large-print --out "$OUT/out"
expect 0 $ALL "$B/classeur" build "$COURSE" --jobs 1 --layout booklet --out "$OUT/out"
expect 0 $ALL "$B/classeur" build "$COURSE" --layout dys --kind study --out "$OUT/out"
expect 0 $ALL "$B/classeur" preview "$COURSE" --kind study --png "$OUT/png" --dpi 40
expect 0 $ALL "$B/classeur" preview "$COURSE" --kind handout --svg "$OUT/svg"
expect 0 $ALL "$B/classeur" trace "$COURSE" --kind binder --out "$OUT/trace.txt"
expect 0 $ALL "$B/classeur" list --titles --search "éthique données"
cp -r data "$OUT/data-new-course"
expect 0 $ALL "$B/classeur" new-course essai --diploma bts-sp3s --module D --data "$OUT/data-new-course"
expect 2 $ALL "$B/classeur" build --kind study --kind handout "$COURSE"
expect 0 $ALL "$B/classeur" build "$COURSE" --kind web --out "$OUT/out"
expect 0 $ALL "$B/classeur" export --dossier --format bibtex -o "$OUT/dossier.bib"
expect 0 $ALL "$B/classeur" export "$COURSE" --format csl-json -o "$OUT/course.json"
cp -r tests/data/good "$OUT/data-import"
for f in zotero.ris zotero.json zotero.bib; do
    expect 0 $ALL "$B/classeur" import "tests/data/exchange/$f" --into "$OUT/data-import" --file "from-$f.yaml"
done
expect 1 $ALL "$B/classeur" import tests/data/exchange/bad-unclosed.bib --into "$OUT/data-import"

# refused data: a character no font has, a misspelt key
for case in unprintable-character unknown-key; do
    d="$OUT/data-$case"
    cp -r tests/data/good "$d"
    (cd "tests/data/bad/$case" && find . -type f ! -name 'expected*.txt' -exec cp --parents {} "$d" \;)
    expect 1 $ALL "$B/classeur" check --data "$d"
    expect 1 $ALL "$B/classeur" build --all --jobs 1 --data "$d" --out "$OUT/refused"
done
echo "valgrind: no memory error, no leak of ours"
