# nameh: `make demo` and `make test` do all set-up on a fresh machine (Debian, Python 3.11, root).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# System packages: PDF rendering, text shaping (raqm) and the Persian/Arabic fonts the corpus uses.
APT_PACKAGES := poppler-utils libraqm0 fontconfig fonts-dejavu-core fonts-farsiweb fonts-freefarsi \
	fonts-hosny-amiri fonts-kacst fonts-kacst-one fonts-noto-core fonts-sil-scheherazade \
	fonts-sil-lateef fonts-sil-harmattan fonts-arabeyes fonts-lemonada
# Fonts published on npm, copied where fontconfig and the generator look for system fonts.
NPM_FONTS := vazirmatn@33.0.3 sahel-font@3.4.0
NPM_FONT_DIR := /usr/local/share/fonts/nameh-npm
SYS_STAMP := .cache/system-deps.stamp
PY_STAMP := $(VENV)/.installed.stamp

.PHONY: demo test setup system-deps lint samples clean train-detector bench-detector

demo: setup
	$(BIN)/nameh-synth out=outputs/demo pages=12 seed=0
	@echo "demo corpus written to outputs/demo (pages: outputs/demo/yolo/images, truth: outputs/demo/truth.csv)"

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

setup: system-deps $(PY_STAMP)

system-deps: $(SYS_STAMP)

$(SYS_STAMP): Makefile
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "installing system packages: $(APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi
	@if [ ! -f $(NPM_FONT_DIR)/Vazirmatn-Regular.ttf ] || [ ! -f $(NPM_FONT_DIR)/Sahel.ttf ]; then \
		echo "installing npm fonts: $(NPM_FONTS)"; \
		tmp=$$(mktemp -d) && npm install --silent --no-audit --no-fund --prefix $$tmp $(NPM_FONTS) && \
		mkdir -p $(NPM_FONT_DIR) && \
		cp $$tmp/node_modules/vazirmatn/fonts/ttf/*.ttf $(NPM_FONT_DIR)/ && \
		cp $$tmp/node_modules/sahel-font/dist/Sahel*.ttf $(NPM_FONT_DIR)/ && \
		rm -rf $$tmp && fc-cache -f >/dev/null; \
	fi
	@mkdir -p $(dir $@) && touch $@

$(PY_STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch and torchvision come from this machine's local wheel cache (see README).
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Re-render the committed contact sheets from the demo corpus.
samples: demo
	$(BIN)/nameh-contact-sheets corpus=outputs/demo out=data/contact_sheets

# The held-out validation corpus (fonts never trained on).
data/generated/heldout/truth.csv: | setup
	$(BIN)/nameh-synth out=data/generated/heldout pages=100 seed=2 synth/fonts=heldout

# Train the field detector (about an hour on 2 cores; generates its corpora when missing).
train-detector: setup
	$(BIN)/nameh-train-detector

# Held-out accuracy, mAP and CPU latency of the shipped detector, and an overlay image.
bench-detector: setup data/generated/heldout/truth.csv
	$(BIN)/python benchmarks/detector.py --json outputs/bench/detector.json \
		--overlay outputs/bench/detector_overlay.png

clean:
	rm -rf $(VENV) .cache outputs/*
