# The two commands README.md starts with. Both install what is missing first.
#   make demo   build (Release) and serve the demo site at http://127.0.0.1:8080
#   make test   build and run every test, one summary at the end
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build demo test bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/src/app/dateline demo --listen $(LISTEN)

test: build
	@scripts/install-test-tools
	@scripts/run-tests $(BUILD_DIR)

# Issue 7's side-by-side numbers (installs wrk, nginx, hugo when missing).
bench: build
	BUILD=$(BUILD_DIR) bench/run

clean:
	rm -rf $(BUILD_DIR)
