# Chorus: one binary, bin/chorus, and its tests.
#
#   make            build bin/chorus (gcc, -O2)
#   make CC=clang   the same with clang
#   make test       build, then run every test (see tests/run.sh)
#   make test-san   the whole suite built with ASan and UBSan
#   make fuzz       build and run each libFuzzer harness for a while
#   make bench      benchmarks (see bench/README.md)
#   make format     reformat the C sources; make format-check checks

CC ?= cc
BUILD ?= build
PKGS = libmicrohttpd sqlite3 libcurl libqrencode jansson libcrypto libargon2
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
	     $(shell pkg-config --cflags $(PKGS)) -Icore
LDLIBS = $(shell pkg-config --libs $(PKGS)) -lpthread

DIRS = core kiosk sms-gateway sync web
SRC = $(filter-out core/main.c,$(foreach d,$(DIRS),$(wildcard $(d)/*.c)))
OBJ = $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/i18n_data.o \
      $(BUILD)/gen/assets_data.o
ASSETS = $(sort $(wildcard kiosk/assets/* web/assets/*))
CATS = $(wildcard i18n/*/*.cat)

UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test test-san tests fuzz fuzz-lib bench format format-check \
	clean demo soak

all: bin/chorus

bin/chorus: $(BUILD)/chorus
	@mkdir -p bin
	cp $< $@

$(BUILD)/chorus: $(BUILD)/core/main.o $(BUILD)/libchorus.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libchorus.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/i18n_data.c: $(CATS) i18n/gen.sh
	@mkdir -p $(dir $@)
	sh i18n/gen.sh i18n > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/i18n_data.o: $(BUILD)/gen/i18n_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/assets_data.c: $(ASSETS) core/assets-gen.sh
	@mkdir -p $(dir $@)
	sh core/assets-gen.sh $(ASSETS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/assets_data.o: $(BUILD)/gen/assets_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libchorus.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isms-gateway -Ikiosk -Isync -Iweb -o $@ $^ \
		$(LDLIBS) -lcmocka

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libchorus.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isms-gateway -Ikiosk -Isync -Iweb -o $@ $^ \
		$(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libchorus.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

tests: $(BUILD)/chorus $(UNIT_BIN) $(TOOL_BIN)

test: tests
	BUILD=$(BUILD) sh tests/run.sh

# The fault suite of tests/it/fault_pipeline.sh, for 15 minutes.
soak: tests
	FAULT_SECONDS=$${FAULT_SECONDS:-900} BUILD=$(BUILD) \
		bash tests/it/fault_pipeline.sh

test-san:
	$(MAKE) BUILD=build-san CC=clang CFLAGS="-O1 -g" \
		SANFLAGS="-fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -fno-omit-frame-pointer" test

FUZZ_SRC = $(wildcard tests/fuzz/*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/fuzz/%)
FUZZ_TIME ?= 20

# The library is checked on every run (fuzz-lib is phony), so a harness
# is relinked whenever the code it fuzzes has changed.
fuzz-lib:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" \
		SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
		build-fuzz/libchorus.a

build-fuzz/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h fuzz-lib
	@mkdir -p $(dir $@)
	clang -std=c17 -D_GNU_SOURCE -O1 -g -Icore -Isms-gateway -Ikiosk \
		-Isync -Iweb -fsanitize=fuzzer,address,undefined \
		$(shell pkg-config --cflags $(PKGS)) -o $@ $< \
		build-fuzz/libchorus.a $(LDLIBS)

fuzz: $(FUZZ_BIN)
	sh tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_BIN)

bench: $(BUILD)/chorus $(BENCH_BIN)
	BUILD=$(BUILD) sh bench/run.sh

demo: bin/chorus
	sh deploy/demo.sh

FORMAT_SRC = $(wildcard core/*.[ch] kiosk/*.[ch] sms-gateway/*.[ch] \
	sync/*.[ch] web/*.[ch] tests/unit/*.c tests/tools/*.c \
	tests/fuzz/*.c bench/*.c)

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build build-san build-fuzz bin

-include $(OBJ:.o=.d) $(BUILD)/core/main.d
