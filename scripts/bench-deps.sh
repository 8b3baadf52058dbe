#!/bin/sh
# bench-deps.sh: installs what `make bench` needs besides Classeur's own dependencies:
# XeLaTeX with French and the qrcode package (texlive-*), qrencode (QR pictures for the
# Typst document), GNU time (peak memory), Node.js with npm, and Typst's Node.js compiler
# (bench/package.json, locked by bench/package-lock.json, into bench/node_modules).
# Runs apt-get and npm only for what is missing.
set -eu
cd "$(dirname "$0")/.."

PKGS="texlive-xetex texlive-lang-french texlive-pictures qrencode time"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# shellcheck disable=SC2086
sh scripts/deps.sh test $PKGS
if [ ! -d bench/node_modules/@myriaddreamin/typst-ts-node-compiler ]; then
    echo "bench-deps.sh: installing Typst's Node.js compiler (npm)" >&2
    (cd bench && npm ci --no-audit --no-fund >/dev/null)
fi
