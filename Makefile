# Two commands do all the set-up on a fresh machine:
#   make run   – install, harvest every enabled platform, index, serve on http://127.0.0.1:8000
#   make test  – install and run the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install system-deps run test demo fuzz fuzz-api clean

# Debian packages the tests use: Redis (distributed mode), Chromium + ChromeDriver (page tests),
# fonts so that page screenshots show Thai and CJK text.
SYSTEM_PACKAGES = redis-server chromium chromium-driver fonts-wqy-microhei fonts-tlwg-loma-otf

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# harvest every enabled platform, bring the index up to date, serve the API and pages on 127.0.0.1:8000
run: install
	$(BIN)/mooc crawl || echo "some platforms could not be crawled: see 'mooc health'"
	$(BIN)/mooc index
	$(BIN)/mooc serve

# The product without network: fixture platforms on 127.0.0.1, crawled, indexed, served (Ctrl-C stops it).
demo: install
	$(BIN)/python -m mooc.demo --port $(or $(PORT),8000)

system-deps:
	@if ! command -v redis-server >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

test: install system-deps
	$(BIN)/python -m pytest -q

# long property-based runs of every parser and the normalizer (CI runs a fast variant in make test)
fuzz: install
	MOOC_FUZZ_EXAMPLES=$(or $(EXAMPLES),2000) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz_sources.py tests/normalize

# schemathesis against the served OpenAPI document, long (CI runs a short variant in make test)
fuzz-api: install
	$(BIN)/python bench/fuzz_api.py --max-examples $(or $(EXAMPLES),2000)

clean:
	rm -rf $(VENV) var .pytest_cache
