# Two commands do all the set-up on a fresh machine:
#   make run   – install, harvest every enabled platform, (index, serve)
#   make test  – install and run the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install system-deps run test demo clean

# Debian packages the tests use: Redis (distributed mode), Chromium + ChromeDriver (page tests).
SYSTEM_PACKAGES = redis-server chromium chromium-driver

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mooc crawl || true
	$(BIN)/mooc export --format jsonl > var/catalogue.jsonl
	@echo "catalogue: $$(wc -l < var/catalogue.jsonl) courses in var/catalogue.jsonl"

# The product without network: fixture platforms on 127.0.0.1, crawled, indexed, served (Ctrl-C stops it).
demo: install
	$(BIN)/python -m search_api.demo --port $(or $(PORT),8000)

system-deps:
	@if ! command -v redis-server >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

test: install system-deps
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache
