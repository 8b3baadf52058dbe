#!/bin/sh
# deps.sh: installs what Classeur needs to build and test on Debian (12 or later), and
# the Debian packages named as arguments (scripts/bench-deps.sh). Runs apt-get only when
# something is missing, so a second run is quick. Needs root (or sudo) when it has to
# install.
set -eu

PKGS="build-essential pkg-config libyaml-dev libhpdf-dev libcairo2-dev libqrencode-dev
libcmocka-dev libhyphen-dev hyphen-fr libfreetype-dev libzbar-dev libcurl4-openssl-dev libicu-dev libdeflate-dev libharfbuzz-dev ghostscript
poppler-utils qpdf zbar-tools libxml2-utils mupdf-tools python3 python3-yaml $*"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps.sh: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
