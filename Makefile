# The two commands a new machine needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser system-packages run test test-fast lint mypy-tree namespace-tree bench schema clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Development installs the dev lock (which includes the runtime lock, the build backend and the
# optional tracing packages); the image installs only requirements.lock (deploy/Containerfile).
# Reinstall only when a lock file or the project metadata changes.
LOCKS := requirements.lock requirements-dev.lock requirements-build.lock requirements-otel.lock
$(STAMP): $(LOCKS) pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(MAKE) --no-print-directory namespace-tree
	touch $(STAMP)

install: $(STAMP)

# Debian packages the paperwork needs: the DejaVu fonts that certificates are printed in, and
# pdftoppm (poppler-utils), with which a test renders a certificate page. Installed when missing
# and the user may (root); otherwise the command to run is printed.
SYSTEM_PACKAGES := fonts-dejavu-core poppler-utils
system-packages:
	@if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)) >/dev/null; \
	else echo "missing system packages; run: sudo apt-get install $(SYSTEM_PACKAGES)" >&2; fi

## Start embedded PostgreSQL (unless DATABASE_URL is set), load the demo provinces, serve GraphQL.
run: install system-packages
	$(BIN)/thidua serve --demo

# Headless Chromium for the GraphiQL page test: Debian's package, installed once when missing
# (as root, as on CI); nothing happens when it is there.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package for the GraphiQL page test"; fi; }

## The whole suite against a real PostgreSQL (embedded unless TEST_DATABASE_URL is set).
test: install browser system-packages
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: install browser system-packages
	$(BIN)/python -m pytest -q -x -m "not slow"

# Tools that list a package's folders (import-linter's grimp, mypy) cannot follow setuptools'
# editable-install finder, which maps thidua.domain -> domain, ... at import time only. They read
# the namespace through a tree of symlinks (.mypy_stubs/thidua/domain -> domain, ...): mypy on its
# mypy_path, and `lint-imports` through a .pth file in the venv that puts the tree on the path of
# that program alone. Any other program imports the product as before: from its own folders, or
# from a tree its PYTHONPATH names first.
MYPY_TREE := .mypy_stubs/thidua
LAYERS := app graphql services projections domain
TREE_PTH = $(shell $(BIN)/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/zz_thidua_namespace_tree.pth
mypy-tree:
	mkdir -p $(MYPY_TREE)
	for d in $(LAYERS); do ln -sfn ../../$$d $(MYPY_TREE)/$$d; done

namespace-tree: mypy-tree
	printf '%s\n' "import os, sys; os.path.basename(sys.argv[0]) == 'lint-imports' and sys.path.append('$(CURDIR)/.mypy_stubs')" \
	  > "$(TREE_PTH)"

lint: install mypy-tree
	$(BIN)/ruff check .
	$(BIN)/mypy $(foreach d,$(LAYERS),-p thidua.$(d))
	$(BIN)/mypy tests bench
	$(BIN)/lint-imports

bench: install system-packages
	$(BIN)/python -m bench

## Re-export the GraphQL SDL contract after a schema change.
schema: install
	$(BIN)/thidua graphql export-schema > graphql/schema.graphql

clean-data:
	rm -rf var/
