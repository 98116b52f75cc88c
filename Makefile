# ivrkit: the only build entry point. See README.md for the tour.
#
#   make            library and commands into build/
#   make deps       install the Debian packages the build and tests need
#   make test       deps, build, every test (TAP under prove)
#   make demo       deps, build, a tour on the bundled samples
#   make bench      deps, build, the benchmarks with their reference figures
#   make check-asan the whole test suite under AddressSanitizer + UBSan
#   make check-valgrind  the unit tests under valgrind
#   make fuzz       libFuzzer on the parsers (FUZZ_SECONDS each, 60)
#   make install / uninstall   honour PREFIX and DESTDIR

VERSION  = 0.1.0
PREFIX   ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/ivrkit
# bash-completion loads a command's completion from a file of its name
COMPDIR  = $(PREFIX)/share/bash-completion/completions

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wundef -Wmissing-prototypes \
           -Wstrict-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings \
           -Wvla -Wformat=2
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS = $(CPPFLAGS) -std=c11 -D_XOPEN_SOURCE=700 -DIVR_VERSION='"$(VERSION)"' \
             $(WARN) $(CFLAGS) $(SANITIZE) -Icore/include
# core/include holds the public headers, the only ones cmd/ can see; the
# library, its tests and benchmarks also see core's private ones
PRIVATE = -Icore
# flite is not linked: core/flite_api.c loads it the first time a prompt
# is synthesised, core/tts.c each voice the first time it speaks; only a
# test that makes a voice file links it
FLITE_LIBS = -lflite_usenglish -lflite_cmulex -lflite
PS_CFLAGS := $(shell pkg-config --cflags pocketsphinx sphinxbase 2>/dev/null)
PS_LIBS    = -lpocketsphinx -lsphinxbase
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
LDLIBS  = $(PS_LIBS) -lreadline -lsqlite3 -lsndfile \
          -lsamplerate -ljansson -lsodium -lmicrohttpd -lz -lm
# --as-needed: a command links only the libraries its code uses, so ivr-dtmf
# does not load flite's voices at start-up
ALL_LDFLAGS = -Wl,--as-needed $(LDFLAGS) $(SANITIZE)

# Debian packages: what the build links, and what the tests and benchmark use.
DEPS_BUILD = build-essential pkg-config libsndfile1-dev libsamplerate0-dev \
             flite1-dev libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us \
             portaudio19-dev libreadline-dev libsqlite3-dev \
             libcurl4-openssl-dev zlib1g-dev libjansson-dev libsodium-dev \
             libmicrohttpd-dev libpq-dev libre-dev tzdata
DEPS_TEST  = perl time bc groff-base sox flite espeak-ng asterisk-core-sounds-en-wav \
             asterisk-core-sounds-es-wav asterisk-core-sounds-fr-wav \
             asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav sqlite3 \
             pulseaudio libasound2-plugins kannel kannel-extras curl \
             libspandsp-dev valgrind fluidsynth fluidr3mono-gm-soundfont \
             timgm6mb-soundfont mma planetblupi-music-midi multimon-ng graphviz \
             drascula-music hyperrogue-music xmoto-data extremetuxracer-data \
             lincity-ng-data fretsonfire-songs-muldjord \
             fretsonfire-songs-sectoid \
             debhelper dpkg-dev lintian python3 openssl chromium \
             chromium-driver python3-selenium postgresql baresip-core \
             kamailio
DEPS       = $(DEPS_BUILD) $(DEPS_TEST)

CORE_SRC = $(wildcard core/*.c)
CORE_OBJ = $(CORE_SRC:core/%.c=$(BUILD)/core/%.o)
LIB      = $(BUILD)/libivr.a
CMDS     = ivr-dtmf ivr-tts ivr-asr ivr-sim ivr-send-sms ivr-web
CMD_BIN  = $(CMDS:%=$(BUILD)/%)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MAN1     = $(CMDS:%=man/%.1)

.PHONY: all commands deps test demo bench check-asan check-valgrind install \
        uninstall clean unit-tests fuzz deb

all: $(LIB) $(CMD_BIN) $(UNIT_BIN) $(BUILD)/tests/http-sink

# what an install needs, and no more
commands: $(LIB) $(CMD_BIN)

# -MMD: each object depends on the headers it includes (the .d files)
$(BUILD)/core/%.o: core/%.c | $(BUILD)/core
	$(CC) $(ALL_CFLAGS) $(PRIVATE) -MMD -MP -c -o $@ $<

-include $(CORE_OBJ:.o=.d)

# pocketsphinx's headers live in their own folders; only asr*.c use them
$(BUILD)/core/asr.o $(BUILD)/core/asr_%.o: ALL_CFLAGS += $(PS_CFLAGS)
# libpq's header only: the library is loaded when a record is a server
$(BUILD)/core/record_postgres.o: ALL_CFLAGS += $(PQ_CFLAGS)
# libre (the SIP stack under baresip) wants its own include folder
$(BUILD)/core/sip_line.o $(BUILD)/core/sip_media.o $(BUILD)/core/sip_register.o $(BUILD)/core/libre_api.o: ALL_CFLAGS += -I/usr/include/re

# the DTMF filters are the hot loop: let the vectoriser see the 8 lanes
$(BUILD)/core/dtmf_detect.o $(BUILD)/core/dtmf_filters.o: ALL_CFLAGS += -O3

$(LIB): $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

# what only the commands share (the command-line surface) lives in cmd/
CMD_OBJ = $(BUILD)/cmd/cli.o
$(BUILD)/cmd/%.o: cmd/%.c | $(BUILD)/cmd
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(CMD_OBJ:.o=.d)

# ivr-sim's modes live in a file beside it
SIM_OBJ = $(BUILD)/cmd/sim_run.o $(BUILD)/cmd/sim_sip.o $(BUILD)/cmd/sim_pool.o \
          $(BUILD)/cmd/sim_usage.o
-include $(SIM_OBJ:.o=.d)
$(BUILD)/ivr-sim: $(SIM_OBJ)
$(BUILD)/ivr-sim: EXTRA_OBJ = $(SIM_OBJ)

# ivr-web's server and pages too
WEB_OBJ = $(BUILD)/cmd/web_server.o $(BUILD)/cmd/web_routes.o \
          $(BUILD)/cmd/web_pages.o
-include $(WEB_OBJ:.o=.d)
$(BUILD)/ivr-web: $(WEB_OBJ) cmd/web.h cmd/web_http.h
$(BUILD)/ivr-web: EXTRA_OBJ = $(WEB_OBJ)

$(BUILD)/%: cmd/%.c $(CMD_OBJ) $(LIB) $(wildcard core/include/*.h) cmd/cli.h
	$(CC) $(ALL_CFLAGS) -o $@ $< $(EXTRA_OBJ) $(CMD_OBJ) $(LIB) $(ALL_LDFLAGS) \
	    $(LDLIBS)

# it reads the recogniser's own state, pocketsphinx's types in it
$(BUILD)/tests/test_asr_loop: ALL_CFLAGS += $(PS_CFLAGS)
$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(PRIVATE) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LDLIBS)

# the test dumps a built-in voice to a .flitevox file, linking it directly
$(BUILD)/tests/test_tts: LDLIBS += -lflite_cmu_us_rms $(FLITE_LIBS)

# the HTTP gateway the SMS tests talk to
$(BUILD)/tests/http-sink: tests/unit/http_sink.c | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

$(BUILD)/core $(BUILD)/cmd $(BUILD)/tests:
	mkdir -p $@

# Quiet when everything is there; otherwise apt-get as root, or say what to
# run. A fresh machine has no package lists, hence the update first.
deps:
	@missing=$$(for p in $(DEPS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	        grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" != 0 ]; then \
	        echo "make deps: missing Debian packages:" $$missing; \
	        echo "run as root: apt-get update && apt-get install -y" $$missing; \
	        exit 1; \
	    fi; \
	    echo "make deps: installing" $$missing; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	        --no-install-recommends $$missing >/dev/null || exit 1; \
	    case " $$missing " in *" kamailio "*) \
	        if [ -d /run/systemd/system ]; then \
	            echo "make deps: kamailio is for the tests (their own" \
	                 "registrar): its service is left off, port 5060 free"; \
	            systemctl disable --now kamailio >/dev/null 2>&1; \
	        fi;; \
	    esac; \
	fi

unit-tests: $(UNIT_BIN)

TESTS = $(UNIT_BIN) tests/cmd/*.t

test: deps
	$(MAKE) all
	BUILD=$(abspath $(BUILD)) prove --exec '' $(TESTS)

demo: deps
	$(MAKE) all
	@sh samples/demo.sh $(BUILD)

# what only the benchmark runs: pocketsphinx_continuous, the ASR peer;
# sofia-sip, the SIP stack not chosen
DEPS_BENCH = pocketsphinx wrk libsofia-sip-ua-dev

bench:
	@$(MAKE) -s deps DEPS='$(DEPS) $(DEPS_BENCH)'
	$(MAKE) all $(BUILD)/bench-dtmf $(BUILD)/bench-tts $(BUILD)/bench-asr \
	    $(BUILD)/bench-sim $(BUILD)/bench-clock $(BUILD)/bench-spot \
	    $(BUILD)/bench-sip_libre $(BUILD)/bench-sip_sofia
	$(BUILD)/bench-dtmf
	$(BUILD)/bench-tts
	$(BUILD)/bench-asr
	$(BUILD)/bench-sim
	@sh bench/suite.sh $(BUILD)
	@sh bench/startup.sh $(BUILD)
	@sh bench/replay.sh $(BUILD)
	@sh bench/talkoff.sh $(BUILD)
	@sh bench/human.sh $(BUILD)
	@sh bench/peers.sh $(BUILD)
	@sh bench/web.sh $(BUILD)
	@sh bench/sip.sh $(BUILD)
	@sh bench/sip-stacks.sh $(BUILD)
	@sh bench/spot.sh $(BUILD)

# the DTMF bench runs spandsp's receiver beside ours
$(BUILD)/bench-dtmf: BENCH_LIBS = -lspandsp
# the two SIP stacks Debian has, side by side (bench/sip-stacks.sh)
$(BUILD)/bench-sip_libre: ALL_CFLAGS += -I/usr/include/re
$(BUILD)/bench-sip_libre: BENCH_LIBS = -lre
# (its headers are not -Wundef clean: system headers, not ours)
$(BUILD)/bench-sip_sofia: ALL_CFLAGS += $(patsubst -I%,-isystem %,$(shell pkg-config --cflags sofia-sip-ua 2>/dev/null))
$(BUILD)/bench-sip_sofia: BENCH_LIBS = -lsofia-sip-ua

$(BUILD)/bench-%: bench/bench_%.c bench/bench.h tests/unit/signals.h $(LIB)
	$(CC) $(ALL_CFLAGS) $(PRIVATE) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) \
	    $(LDLIBS) $(BENCH_LIBS)

check-asan: deps
	$(MAKE) BUILD=build-asan OPT=-O1 \
	    SANITIZE='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' all
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	    BUILD=$(abspath build-asan) \
	    prove --exec '' $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%) tests/cmd/*.t

check-valgrind: all
	@for t in $(UNIT_BIN); do \
	    valgrind -q --error-exitcode=9 --leak-check=full \
	        --suppressions=tests/valgrind.supp $$t >/dev/null || exit 1; \
	done; echo "valgrind: unit tests clean"

# libFuzzer (clang) with ASan and UBSan on what reads outside input: menus
# (loaded, linted, graphed), call scripts, transcripts, audio headers, SMS
# numbers and text, coupon serials. Corpora start from the repository's own
# files and grow in build-fuzz/corpus; a finding stops the run (crash-*
# files in build-fuzz; an input that takes 25 s is a finding too). Not part
# of `make test`.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = menu script transcript audio sms
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer

# clang and its libFuzzer only for this target, not for every test run
DEPS_FUZZ = clang libclang-rt-14-dev

fuzz:
	@$(MAKE) -s deps DEPS='$(DEPS) $(DEPS_FUZZ)'
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 \
	    SANITIZE='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' build-fuzz/libivr.a
	@set -e; for t in $(FUZZ_TARGETS); do \
	    clang $(ALL_CFLAGS) $(PRIVATE) -O1 -Itests/fuzz $(FUZZ_SAN) -fsanitize=fuzzer \
	        -o build-fuzz/fuzz-$$t tests/fuzz/fuzz_$$t.c build-fuzz/libivr.a \
	        $(LDLIBS); \
	    mkdir -p build-fuzz/corpus/$$t build-fuzz/seeds/$$t; \
	done
	@cp menus/*.ivr build-fuzz/seeds/menu/
	@for f in tests/calls/*/*.call; do \
	    cp $$f build-fuzz/seeds/script/$$(echo $$f | tr / _); done
	@$(MAKE) -s all >/dev/null && $(BUILD)/ivr-sim menus/bank.ivr --fast \
	    --keys "1 @3s, 41234567# @9s" -q --force \
	    -t build-fuzz/seeds/transcript/bank.jsonl
	@for f in samples/keys-ulaw.wav menus/audio/low-tide.wav; do \
	    head -c 4096 $$f > build-fuzz/seeds/audio/$$(basename $$f); done
	@printf '+15550104477' > build-fuzz/seeds/sms/number
	@printf '20%% off with coupon 30FJ-2S6K-RDMQ \342\202\254' > build-fuzz/seeds/sms/text
	@printf '30fj2s6krdmq' > build-fuzz/seeds/sms/serial
	@rm -f build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* \
	    build-fuzz/oom-*
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
	    (cd build-fuzz && ./fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=16384 -timeout=25 -print_final_stats=1 \
	        corpus/$$t seeds/$$t \
	        2>&1 | grep -E 'stat::number_of_executed_units|stat::new_units_added|ERROR|SUMMARY|Test unit written' ) ; \
	    found=$$(ls build-fuzz | grep -E '^(crash|leak|timeout|oom)-' || true); \
	    if [ -n "$$found" ]; then \
	        echo "fuzz-$$t: a finding: build-fuzz/$$found"; exit 1; fi; \
	done; rm -f /tmp/ivr-fuzz-*; echo "fuzz: no findings"

# the commands and their pages; the tests are not built for an install
install: commands
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SHAREDIR)/samples \
	    $(DESTDIR)$(SHAREDIR)/menus/audio/es $(DESTDIR)$(COMPDIR)
	install -m 755 $(CMD_BIN) $(DESTDIR)$(BINDIR)
	for c in $(CMDS); do \
	    install -m 644 cmd/completion.bash $(DESTDIR)$(COMPDIR)/$$c || exit 1; \
	done
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/ivr-menu.5 man/ivr-call.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 menus/*.ivr menus/*.http $(DESTDIR)$(SHAREDIR)/menus
	install -m 644 menus/audio/*.wav $(DESTDIR)$(SHAREDIR)/menus/audio
	install -m 644 menus/audio/es/*.wav $(DESTDIR)$(SHAREDIR)/menus/audio/es
	install -m 644 samples/*.wav $(DESTDIR)$(SHAREDIR)/samples

uninstall:
	rm -f $(CMDS:%=$(DESTDIR)$(BINDIR)/%) $(CMDS:%=$(DESTDIR)$(MANDIR)/man1/%.1) \
	    $(DESTDIR)$(MANDIR)/man5/ivr-menu.5 $(DESTDIR)$(MANDIR)/man5/ivr-call.5 \
	    $(CMDS:%=$(DESTDIR)$(COMPDIR)/%)
	rm -rf $(DESTDIR)$(SHAREDIR)

# A Debian package from a copy of this tree (the build's own clean step
# must not touch this one), into $(BUILD)/deb; lintian must find nothing
# above an informational note. Binary only: the source is this repository.
DEB_DIR = $(BUILD)/deb
deb: deps
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/ivrkit-$(VERSION)
	tar -c --anchored --exclude='./build*' --exclude=./.git . | \
	    tar -x -C $(DEB_DIR)/ivrkit-$(VERSION)
	cd $(DEB_DIR)/ivrkit-$(VERSION) && dpkg-buildpackage -b -us -uc
	lintian --fail-on warning,error $(DEB_DIR)/ivrkit_$(VERSION)_*.changes
	@echo "make deb: $$(ls $(DEB_DIR)/*.deb)"

clean:
	rm -rf build build-asan build-fuzz
