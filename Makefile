# Classeur: plain Makefile. `make demo` and `make test` install missing Debian packages
# first (scripts/deps.sh), then build and run. See README.md.

CC      ?= cc
# libcurl's headers only: `classeur links` loads the library when it runs (linkcheck.c)
PKGS    := yaml-0.1 json-c cairo libqrencode freetype2 icu-uc icu-i18n libdeflate harfbuzz harfbuzz-subset
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c17 -D_DEFAULT_SOURCE -pthread -Wall -Wextra -Wshadow -Wno-unused-parameter -Werror=unused-result -MMD -MP \
           $(shell pkg-config --cflags $(PKGS) libcurl 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lm -pthread -ldl
TEST_LDLIBS := $(shell pkg-config --libs cmocka zbar 2>/dev/null)

BUILD   := build
LIB_SRC := $(sort $(wildcard src/util/*.c src/model/*.c src/links/*.c src/exchange/*.c src/typeset/*.c src/compose/*.c src/render/*.c))
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/capitals.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The messages' translations (GNU gettext, src/util/i18n.h): po/<lang>.po, compiled to
# build/locale/<lang>/LC_MESSAGES/classeur.mo, where build/classeur finds them.
LANGS    := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/classeur.mo)

.PHONY: pot all deps deps-build deps-test demo test unit e2e clean bench check golden fuzz fuzz-deps fuzz-lib fuzz-replay install uninstall

all: $(BUILD)/classeur $(MO_FILES)

# Installing the Debian packages (scripts/deps.sh): what building needs (make demo), and
# that with what the tests use (make test, make check). `make` alone never installs.
deps-build:
	@sh scripts/deps.sh build

deps deps-test:
	@sh scripts/deps.sh test

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/locale/%/LC_MESSAGES/classeur.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# Collect the messages into po/classeur.pot and bring every po/<lang>.po up to date with
# it (new messages come in untranslated: the tests refuse that; translate them).
pot:
	sh scripts/messages.sh po/classeur.pot
	for po in po/*.po; do msgmerge --quiet --update --backup=none $$po po/classeur.pot; done

# The accented capitals' word list, compiled in from its data file.
$(BUILD)/gen/capitals.c: typography/capitals.txt scripts/gen-capitals.sh
	@mkdir -p $(dir $@)
	sh scripts/gen-capitals.sh $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/capitals.o: $(BUILD)/gen/capitals.c
	$(CC) $(CFLAGS) -Isrc -c $< -o $@

$(BUILD)/libclasseur.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/classeur: $(CLI_OBJ) $(BUILD)/libclasseur.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libclasseur.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libclasseur.a $(LDLIBS) $(TEST_LDLIBS)

# Writes the default packs into out/.
demo: deps-build
	@$(MAKE) --no-print-directory all
	./$(BUILD)/classeur check
	./$(BUILD)/classeur build --all

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; ./$$t; done

e2e: all
	@sh tests/e2e/run.sh
	@python3 tests/e2e/test_render.py

# Rewrites the golden traces (tests/golden/): the default course's three documents in
# every built-in layout, and the whole-dossier binder in the default and large-print
# layouts, which `make e2e` compares with `classeur trace`. Run it after an intended
# layout change, then review `git diff tests/golden` before committing.
GOLDEN_COURSE := bts-sp3s-module-c
GOLDEN_LAYOUTS := default dys large-print booklet eco
golden: $(BUILD)/classeur
	@mkdir -p tests/golden
	@rm -f tests/golden/*.trace
	@set -e; for l in $(GOLDEN_LAYOUTS); do for k in handout study binder; do \
	    ./$(BUILD)/classeur trace data/courses/$(GOLDEN_COURSE).yaml --kind $$k --layout $$l \
	        --out tests/golden/$(GOLDEN_COURSE).$$k.$$l.trace; done; done
	@set -e; for l in default large-print; do \
	    ./$(BUILD)/classeur trace --dossier --layout $$l --out tests/golden/dossier.binder.$$l.trace; done
	@ls tests/golden

test: deps-test
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory e2e

# The checks CI runs after make test (.ci/run): the unit tests, full builds and the
# reliability tests (bad data, broken fonts, interruptions, full disks) under
# AddressSanitizer and UBSan, every fuzz corpus input and kept crash replayed through its
# harness (clang, libFuzzer), and the end-to-end commands under Valgrind
# (tests/valgrind.sh), and every allocation of ours made to fail in turn
# (tests/failalloc/run.py). Any report fails the run.
SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
check: export ASAN_OPTIONS = detect_leaks=1:exitcode=99
check: export UBSAN_OPTIONS = exitcode=99:print_stacktrace=1
check: deps-test fuzz-deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN)" all unit
	./build-san/classeur check >/dev/null
	./build-san/classeur build --all --layout eco --out build-san/out
	./build-san/classeur build --all --out build-san/out
	CLASSEUR=$(CURDIR)/build-san/classeur python3 tests/e2e/test_reliability.py >build-san/reliability.log || \
	    { grep -v '^ok' build-san/reliability.log; exit 1; }
	@echo "make check: no sanitizer report"
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory all $(BUILD)/failalloc.so
	@sh tests/valgrind.sh $(BUILD)
	@python3 tests/failalloc/run.py $(BUILD)
	@echo "make check: passed"

# The allocation-failure injector of tests/failalloc/run.py (an LD_PRELOAD library).
$(BUILD)/failalloc.so: tests/failalloc/failalloc.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -g -Wall -Wextra -shared -fPIC -o $@ $<

# Coverage-guided fuzzing with libFuzzer (clang), ASan and UBSan, one target after the
# other for FUZZ_SECONDS each: the data folder (fuzz_data), layout files (fuzz_layout), a
# course file alone (fuzz_course), the typesetter on any text (fuzz_typeset) and the QR
# path on any address (fuzz_qr). Each starts from tests/fuzz/corpus/TARGET; the inputs
# that reach new code are merged back into it (minimised), and a crash is written to
# build-fuzz/crashes/ (fix it, then keep the input in tests/fuzz/regress/TARGET).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_data fuzz_layout fuzz_course fuzz_typeset fuzz_qr fuzz_import
FUZZ_BIN := $(FUZZ_TARGETS:%=build-fuzz/%)
FUZZ_SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-deps:
	@sh scripts/deps.sh test clang libclang-rt-dev valgrind

fuzz-lib:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	    build-fuzz/libclasseur.a

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_files.h fuzz-lib
	clang $(FUZZ_SAN) -fsanitize=fuzzer -std=c17 -D_DEFAULT_SOURCE -Isrc $(shell pkg-config --cflags $(PKGS)) \
	    $< build-fuzz/libclasseur.a $(LDLIBS) -o $@

fuzz: deps-test fuzz-deps $(FUZZ_BIN)
	@mkdir -p build-fuzz/crashes
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p tests/fuzz/corpus/$$t build-fuzz/new/$$t; \
	    echo "== $$t, $(FUZZ_SECONDS) s"; \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ./build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=65536 -timeout=20 -rss_limit_mb=4096 -artifact_prefix=build-fuzz/crashes/$$t- \
	        -print_final_stats=1 build-fuzz/new/$$t tests/fuzz/corpus/$$t 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::|==|SUMMARY)" || true; \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ./build-fuzz/$$t -merge=1 \
	        -artifact_prefix=build-fuzz/crashes/$$t-merge- tests/fuzz/corpus/$$t build-fuzz/new/$$t 2>&1 | \
	        grep -E "MERGE-OUTER: [0-9]+ new files" || true; \
	done
	@ls build-fuzz/crashes | grep . && { echo "make fuzz: crashes in build-fuzz/crashes"; exit 1; } || echo "make fuzz: no crash"

# Every input of the fuzz corpora and every kept crash (tests/fuzz/regress/TARGET), run
# once through its harness (sanitizers on): what the fuzzers found stays fixed.
fuzz-replay: $(FUZZ_BIN)
	@mkdir -p build-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	    n=$$(find tests/fuzz/corpus/$$t tests/fuzz/regress/$$t -type f 2>/dev/null | wc -l); \
	    find tests/fuzz/corpus/$$t tests/fuzz/regress/$$t -type f -print0 2>/dev/null | \
	        LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp xargs -0 -r ./build-fuzz/$$t -runs=1 \
	        >build-fuzz/$$t.replay.log 2>&1 || { tail -60 build-fuzz/$$t.replay.log; echo "$$t: an input fails"; exit 1; }; \
	    echo "fuzz-replay: $$t, $$n inputs, no failure"; \
	done

# Classeur against Typst and XeLaTeX on the same content, from the module C handout to
# 10,000 entries (bench/README.md); writes bench/results.md. Not part of make test.
bench: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/bench-deps.sh
	@python3 bench/bench.py

# Installs the program and what it reads, laid out so that PREFIX/bin/classeur finds
# PREFIX/share/classeur/{fonts,layouts,data} from wherever it is run:
#   make install PREFIX=/usr/local [DESTDIR=/tmp/stage]      make uninstall PREFIX=…
PREFIX ?= /usr/local
SHARE := $(DESTDIR)$(PREFIX)/share
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/classeur $(SHARE)/man/man1 $(SHARE)/man/fr/man1 \
	    $(SHARE)/bash-completion/completions $(SHARE)/doc/classeur
	install -m 755 $(BUILD)/classeur $(DESTDIR)$(PREFIX)/bin/classeur
	rm -rf $(SHARE)/classeur/fonts $(SHARE)/classeur/layouts $(SHARE)/classeur/data
	cp -R fonts layouts data $(SHARE)/classeur/
	chmod -R u=rwX,go=rX $(SHARE)/classeur
	install -m 644 docs/classeur.1 $(SHARE)/man/man1/classeur.1
	install -m 644 docs/fr/classeur.1 $(SHARE)/man/fr/man1/classeur.1
	install -m 644 completions/classeur $(SHARE)/bash-completion/completions/classeur
	for l in $(LANGS); do install -d $(SHARE)/locale/$$l/LC_MESSAGES && \
	    install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/classeur.mo $(SHARE)/locale/$$l/LC_MESSAGES/classeur.mo; done
	install -m 644 README.md docs/data-format.md docs/layouts.md docs/addresses.md docs/exchange.md docs/web.md $(SHARE)/doc/classeur/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/classeur $(SHARE)/man/man1/classeur.1 $(SHARE)/man/fr/man1/classeur.1 \
	    $(SHARE)/bash-completion/completions/classeur
	for l in $(LANGS); do rm -f $(SHARE)/locale/$$l/LC_MESSAGES/classeur.mo; done
	rm -rf $(SHARE)/classeur $(SHARE)/doc/classeur

clean:
	rm -rf $(BUILD) build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
