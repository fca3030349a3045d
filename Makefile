# Thin wrapper over the CMake build. Quick start: `make sim`, `make test`.
BUILD   ?= build
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
TIER    ?= default
SHARD   ?= 1/1
GEN     := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps build test sim bench trace lint formal synth waves coverage fuzz soak vectors clean help paper sweep fashion-mnist

all: build

help:
	@echo "make sim      build and run the regression (TIER=default|full, SHARD=i/N)"
	@echo "make test     build and run every test (CTest; JUnit XML in $(BUILD)/junit.xml)"
	@echo "make bench    cycle-model speed against a plain sparse product"
	@echo "make paper    the EIE paper's nine benchmark layers on 64 PEs; writes docs/results.md"
	@echo "make sweep    Alex-7-shaped layer over PE counts and FIFO depths: CSV and PNGs in $(BUILD)/sweep/"
	@echo "make waves TEST=name [VIEW=ccu|pe|queues|events]  rerun a test with an FST, open GTKWave"
	@echo "make coverage RTL code coverage of the default regression on the 4-PE build (lcov HTML in $(BUILD)-cov/coverage/)"
	@echo "make fuzz     libFuzzer harnesses (npy, manifest, model vs reference), FUZZ_SECONDS each"
	@echo "make soak     10,000 random C-model cases and 600 lock-step RTL cases (TIER=soak)"
	@echo "make vectors  golden vector packs (sim/tests/vectors.list) checked on the model, the RTL and the \$$readmemh testbench (iverilog, Verilator)"
	@echo "make lint     verilator -Wall on the RTL (and iverilog, yosys parse)"
	@echo "make formal   formal checks of the RTL units (yosys SAT: k-induction or bounded; VCD on a failure)"
	@echo "make synth    yosys synthesis of the 4-PE array, cell counts per unit (~7 min)"
	@echo "make fashion-mnist  train, prune and compress an MLP, run the 10,000 test images on the model (200 on the RTL)"
	@echo "make deps     install the Debian packages the project needs"
	@echo "make clean    remove $(BUILD)/"

# Install missing Debian packages (quietly does nothing when all are present).
deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(GEN) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure --output-junit junit.xml

sim: build
	sim/regress.sh --build $(BUILD) --tier $(TIER) --shard $(SHARD) --jobs $(JOBS)

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

waves: build
	scripts/waves.sh $(BUILD) "$(TEST)" $(or $(VIEW),ccu) $(TIER)

coverage: deps
	cmake -S . -B $(BUILD)-cov $(GEN) -DCMAKE_BUILD_TYPE=Release -DEIE_RTL_COVERAGE=ON -DEIE_RTL_VARIANTS="small 4 2"
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

fashion-mnist: build
	examples/fashion_mnist/run.sh $(BUILD)

trace: build
	$(BUILD)/bin/eie trace --example paper

clean:
	rm -rf $(BUILD)
