#!/bin/sh
# messages.sh: collects the program's messages for translation (GNU gettext).
#
#   sh scripts/messages.sh OUT.pot    every message of src/ into OUT.pot
#
# What is collected: _(), N_(), n_() (src/util/i18n.h) and the format string of the
# diagnostic functions, which translate it themselves (src/util/diag.c; load.c's ERR and
# WARN). `make pot` writes po/classeur.pot with it and merges it into po/*.po; the tests
# (tests/e2e/test_messages.py) use it to find messages the catalogues lack.
set -eu
cd "$(dirname "$0")/.."
out=${1:?usage: sh scripts/messages.sh OUT.pot}
# shellcheck disable=SC2046
xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS --package-name=classeur \
    --msgid-bugs-address="the Classeur team (README.md)" --sort-by-file \
    -k_ -kN_ -kn_:1,2 -kERR:3 -kWARN:3 -kcl_diags_add:6 -kcl_err_set:3 -kcl_err_about:2 \
    --flag=_:1:pass-c-format --flag=n_:1:pass-c-format --flag=n_:2:pass-c-format \
    --flag=ERR:3:c-format --flag=WARN:3:c-format --flag=cl_diags_add:6:c-format \
    --flag=cl_err_set:3:c-format --flag=cl_err_about:2:c-format \
    -o "$out" $(find src -name '*.c' | LC_ALL=C sort)
