#!/bin/sh
# End-to-end tests: build real documents with build/classeur and check them with outside
# tools (qpdf, pdffonts, pdftotext, pdftoppm, zbarimg). See test_e2e.py.
set -eu
# The messages compared are the English ones, whatever the machine's language.
unset LANGUAGE LC_ALL LC_MESSAGES; export LANG=C.UTF-8
cd "$(dirname "$0")/../.."
python3 tests/e2e/test_layers.py
python3 tests/e2e/test_e2e.py
python3 tests/e2e/test_documents.py
python3 tests/e2e/test_layouts.py
python3 tests/e2e/test_links.py
python3 tests/e2e/test_pages.py
python3 tests/e2e/test_engine.py
python3 tests/e2e/test_reliability.py
python3 tests/e2e/test_messages.py
python3 tests/e2e/test_exchange.py
python3 tests/e2e/test_install.py
