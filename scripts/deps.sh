#!/bin/sh
# deps.sh: installs the Debian packages (12 or later) Classeur needs, when some are missing.
#
#   sh scripts/deps.sh build [PACKAGE…]   what building and running need (make demo)
#   sh scripts/deps.sh test [PACKAGE…]    that, and what the tests use (make test): cmocka,
#                                         zbar, poppler, qpdf, mupdf, ghostscript, Python,
#                                         and the fr_FR.UTF-8 locale (the tests run the
#                                         messages in French and in English)
#
# Extra packages named after the set are added to it (make check adds clang and
# Valgrind, make bench Typst's and XeLaTeX's). Nothing is done when everything is there,
# so a second run is quick. Installing needs root, or sudo: without either it prints the
# one apt-get line to run as root and stops (exit 1). `make` alone never installs.
set -eu

set_name=${1:-test}
case "$set_name" in
build | test) shift ;;
*) set_name=test ;; # (older callers: packages only)
esac

BUILD="build-essential pkg-config libyaml-dev libhpdf-dev libcairo2-dev libqrencode-dev libhyphen-dev hyphen-fr
libfreetype-dev libcurl4-openssl-dev libicu-dev libdeflate-dev libharfbuzz-dev gettext libjson-c-dev"
TEST="libcmocka-dev libzbar-dev ghostscript poppler-utils qpdf zbar-tools libxml2-utils mupdf-tools python3 python3-yaml
man-db groff-base locales tidy python3-bibtexparser"
PKGS="$BUILD"
if [ "$set_name" = test ]; then
    PKGS="$PKGS $TEST"
fi
PKGS="$PKGS $*"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

# The French locale the message tests need (generated, not a package of its own).
need_locale=""
if [ "$set_name" = test ] && ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
    need_locale=yes
fi

if [ -z "$missing" ] && [ -z "$need_locale" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        if [ -n "$missing" ]; then
            echo "deps.sh: these Debian packages are missing:$missing" >&2
            echo "deps.sh: installing them needs root; as root, run:" >&2
            echo "    apt-get update && apt-get install -y --no-install-recommends$missing" >&2
        fi
        if [ -n "$need_locale" ]; then
            echo "deps.sh: the tests need the fr_FR.UTF-8 locale; as root, run:" >&2
            echo "    localedef -i fr_FR -f UTF-8 fr_FR.UTF-8" >&2
        fi
        echo "deps.sh: then run make again (make alone builds without installing anything)" >&2
        exit 1
    fi
fi
if [ -n "$missing" ]; then
    echo "deps.sh: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ -n "$need_locale" ]; then
    echo "deps.sh: generating the fr_FR.UTF-8 locale" >&2
    $SUDO localedef -i fr_FR -f UTF-8 fr_FR.UTF-8
fi
