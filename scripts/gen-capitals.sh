#!/bin/sh
# gen-capitals.sh: typography/capitals.txt -> C source of the table the typesetter uses
# (src/typeset/capitals.h). Lines: WORD<TAB>PRINTED; '#' comments and blank lines skipped.
# Usage: sh scripts/gen-capitals.sh typography/capitals.txt > build/gen/capitals.c
set -eu
printf '/* Generated from %s by scripts/gen-capitals.sh: do not edit. */\n' "$1"
printf '#include "typeset/capitals.h"\n\nconst cl_capital cl_capitals[] = {\n'
awk -F '\t' '
    /^#/ || NF == 0 { next }
    NF != 2 { printf "%s:%d: expected WORD<TAB>PRINTED\n", FILENAME, NR > "/dev/stderr"; bad = 1; next }
    { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    {\"%s\", \"%s\"},\n", $1, $2 }
    END { exit bad }
' "$1"
printf '};\nconst unsigned cl_n_capitals = sizeof cl_capitals / sizeof cl_capitals[0];\n'
