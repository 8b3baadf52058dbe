# Classeur: plain Makefile. `make demo` and `make test` install missing Debian packages
# first (scripts/deps.sh), then build and run. See README.md.

CC      ?= cc
PKGS    := yaml-0.1 cairo libqrencode freetype2
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter -MMD -MP \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lm
TEST_LDLIBS := $(shell pkg-config --libs cmocka zbar 2>/dev/null)

BUILD   := build
LIB_SRC := $(sort $(wildcard src/util/*.c src/model/*.c src/typeset/*.c src/compose/*.c src/render/*.c))
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo test unit e2e clean bench check

all: $(BUILD)/classeur

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libclasseur.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/classeur: $(CLI_OBJ) $(BUILD)/libclasseur.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libclasseur.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(BUILD)/libclasseur.a $(LDLIBS) $(TEST_LDLIBS)

# Writes the default packs into out/.
demo: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/classeur check
	./$(BUILD)/classeur build --all

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; ./$$t; done

e2e: $(BUILD)/classeur
	@sh tests/e2e/run.sh

test: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory e2e

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
