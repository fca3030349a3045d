# Thin wrapper over the CMake build. Quick start: `make sim`, `make test`.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
TIER    ?= default
SHARD   ?= 1/1
GEN     := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps build rtl test sim bench trace lint formal synth waves coverage fuzz soak vectors tb clean help paper sweep fashion-mnist

# The RTL configurations built (rtl/eie_configs.txt, read by scripts/configs.sh):
# RTL_NAMES is small|medium|paper, RTL_<name> is "name pes fifo" (CMake EIE_RTL_VARIANTS).
RTL_LIST   := $(shell scripts/configs.sh list build | tr '\n' ';')
RTL_NAMES  := $(shell scripts/configs.sh names build)
$(foreach c,$(subst ;, ,$(subst $() ,_,$(RTL_LIST))),$(eval RTL_$(word 1,$(subst _, ,$(c))) := $(subst _, ,$(c))))
RTL_all    := $(patsubst %;,%,$(RTL_LIST))
RTL_DESC   := $(shell scripts/configs.sh list build | awk '{ printf "%s%s %s PEs FIFO %s", (NR > 1 ? ", " : ""), $$1, $$2, $$3 }')

all: build

help:
	@echo "targets:"
	@echo "  make build    configure (first time) and build everything in BUILD (also: make, make all)"
	@echo "  make help     this list"
	@echo "  make rtl RTL=$(RTL_NAMES)|all  (re)build one Verilated configuration and eie with it, nothing"
	@echo "               else (the others' tests then run on the C model only until make rtl RTL=all)"
	@echo "  make sim      run the regression (TIER, SHARD, FILTER=REGEX or TEST=NAME, WAVES=1)"
	@echo "  make waves    TEST=NAME | PACK=DIR [VIEW=ccu|pe|queues|events] [PE=k]: run on the RTL with an FST,"
	@echo "               write a GTKWave view at the first divergence; the last line opens it"
	@echo "  make trace    the paper's example cycle by cycle (eie trace; PACK=DIR for a pack, FORMAT=md|csv|json)"
	@echo "  make test     build and run every test (CTest; JUnit XML in $(BUILD)/junit.xml)"
	@echo "  make bench    cycle-model speed against a plain sparse product"
	@echo "  make paper    the EIE paper's nine benchmark layers on 64 PEs; writes docs/results.md"
	@echo "  make sweep    Alex-7-shaped layer over PE counts and FIFO depths: CSV and PNGs in $(BUILD)/sweep/"
	@echo "  make coverage RTL code coverage of the default regression on the 4-PE build (lcov HTML in $(BUILD)-cov/coverage/)"
	@echo "  make fuzz     libFuzzer harnesses (npy, manifest, model vs reference), FUZZ_SECONDS each"
	@echo "  make soak     10,000 random C-model cases and 600 lock-step RTL cases (TIER=soak)"
	@echo "  make vectors  golden vector packs (sim/tests/vectors.list) checked on the model, the RTL and the \$$readmemh testbench (iverilog, Verilator)"
	@echo "  make tb PACK=DIR [SIM=iverilog|verilator] [RTL=$(RTL_NAMES)] [PRELOAD=1] [WAVES=1] [WORK=DIR] [DEFINES=...]"
	@echo "               the standalone testbench on one pack: parameter hash, event streams, outputs (exit 0/1/2/3)"
	@echo "  make lint     verilator -Wall on the RTL (and iverilog, yosys parse)"
	@echo "  make formal   formal checks of the RTL units (yosys SAT: k-induction or bounded; VCD on a failure)"
	@echo "  make synth    yosys synthesis of the 4-PE array, cell counts per unit (~7 min)"
	@echo "  make fashion-mnist  train, prune and compress an MLP, run the 10,000 test images on the model (200 on the RTL)"
	@echo "  make deps     install the Debian packages the project needs"
	@echo "  make clean    remove $(BUILD)/"
	@echo "variables:"
	@echo "  BUILD=$(BUILD)  build directory      JOBS=$(JOBS)  parallel jobs"
	@echo "  RTL=$(RTL_NAMES)|all  make rtl, make tb: the configuration ($(RTL_DESC); rtl/eie_configs.txt)"
	@echo "  SIM=iverilog|verilator  PRELOAD=1  WORK=DIR  DEFINES=...  make tb"
	@echo "  TIER=$(TIER)  test list sim/tests/TIER.list (default, full, soak)    SHARD=i/N  every N-th test from the i-th"
	@echo "  FILTER=REGEX  make sim: tests whose list line matches    TEST=NAME  make sim, make waves: one test"
	@echo "  WAVES=1  make sim: an FST per test (kept for failing tests, with a view at the divergence)"
	@echo "  PACK=DIR  make waves, make trace: any vector pack    VIEW=ccu|pe|queues|events  PE=k  make waves"
	@echo "  FORMAT=md|csv|json  make trace    FUZZ_SECONDS=60  make fuzz"

# Install missing Debian packages (quietly does nothing when all are present).
deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure --output-junit junit.xml

# One configuration of the RTL, and eie with it: nothing else is rebuilt.
rtl: deps
	@case "|$(RTL_NAMES)|all|" in *"|$(RTL)|"*) ;; \
	  *) echo "make rtl: RTL=$(RTL_NAMES)|all (got '$(RTL)')" >&2; exit 3 ;; esac
	cmake -S . -B $(BUILD) $(if $(wildcard $(BUILD)/CMakeCache.txt),,$(GEN)) -DCMAKE_BUILD_TYPE=Release \
	  -DEIE_RTL_VARIANTS='$(RTL_$(RTL))' >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target eie_cli

# make sim and make waves build eie (and the RTL configurations it has), not every target.
$(BUILD)/bin/eie: FORCE | $(if $(wildcard $(BUILD)/CMakeCache.txt),,$(BUILD)/CMakeCache.txt)
	@cmake --build $(BUILD) -j $(JOBS) --target eie_cli | grep -v '^ninja: no work to do' || true
	@test -x $@
FORCE:

sim: $(BUILD)/bin/eie
	sim/regress.sh --build $(BUILD) --tier $(TIER) --shard $(SHARD) --jobs $(JOBS) \
	  $(if $(FILTER),--filter '$(FILTER)') $(if $(TEST),--test '$(TEST)')

bench: build
	scripts/bench.sh $(BUILD)

paper: build
	scripts/paper.sh $(BUILD)

sweep: build
	@mkdir -p $(BUILD)/sweep
	$(BUILD)/bin/eie sweep --random 4096x4096 --density 0.09 --act-density 0.35 --seed 1 --name Alex-7 -o $(BUILD)/sweep/sweep.csv
	scripts/plot_sweep.sh $(BUILD)/sweep/sweep.csv $(BUILD)/sweep

lint: deps
	scripts/lint.sh

formal: deps
	scripts/formal.sh $(BUILD)/formal

synth: deps
	scripts/synth.sh $(BUILD)/synth

waves: $(BUILD)/bin/eie
	@scripts/waves.sh --build $(BUILD) --tier $(TIER) $(if $(TEST),--test '$(TEST)') $(if $(PACK),--pack '$(PACK)') \
	  $(if $(VIEW),--view '$(VIEW)') $(if $(PE),--pe '$(PE)')

coverage: deps
	cmake -S . -B $(BUILD)-cov $(GEN) -DCMAKE_BUILD_TYPE=Release -DEIE_RTL_COVERAGE=ON -DEIE_RTL_VARIANTS="$(RTL_small)"
	cmake --build $(BUILD)-cov -j $(JOBS) --target eie_cli
	rm -rf $(BUILD)-cov/coverage-data && mkdir -p $(BUILD)-cov/coverage-data
	EIE_COVERAGE_DIR=$(abspath $(BUILD)-cov/coverage-data) sim/regress.sh --build $(BUILD)-cov --tier $(TIER) --jobs $(JOBS)
	verilator_coverage --write-info $(BUILD)-cov/coverage.info $(BUILD)-cov/coverage-data/*.dat
	genhtml -q --output-directory $(BUILD)-cov/coverage $(BUILD)-cov/coverage.info
	@echo "coverage: $(BUILD)-cov/coverage/index.html"

fuzz: deps
	scripts/fuzz.sh $(BUILD)/fuzz $(or $(FUZZ_SECONDS),60)

soak: build
	sim/regress.sh --build $(BUILD) --tier soak --shard $(SHARD) --jobs $(JOBS)

vectors: build
	scripts/vectors.sh --eie $(BUILD)/bin/eie --out $(BUILD)/vectors --jobs $(JOBS)

tb: build
	@[ -n "$(PACK)" ] || { echo "make tb: give PACK=DIR (a vector pack, e.g. from make vectors)"; exit 3; }
	scripts/tb.sh --build $(BUILD) --pack "$(PACK)" --sim $(or $(SIM),iverilog) $(if $(RTL),--rtl $(RTL)) \
	  $(if $(filter 1,$(PRELOAD)),--preload) $(if $(filter 1,$(WAVES)),--waves) $(if $(WORK),--work "$(WORK)") \
	  $(foreach d,$(DEFINES),--define $(d))

fashion-mnist: build
	examples/fashion_mnist/run.sh $(BUILD)

trace: $(BUILD)/bin/eie
	$(BUILD)/bin/eie trace $(if $(PACK),'$(PACK)',--example paper) $(if $(FORMAT),--format '$(FORMAT)')

clean:
	rm -rf $(BUILD)
