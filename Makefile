# nameh: `make demo` and `make test` do all set-up on a fresh machine (Debian, Python 3.11, root).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# System packages: PDF rendering, text shaping (raqm), the Persian/Arabic fonts the corpus uses, and
# Tesseract 5 with its Persian model (the baseline benchmarks/compare.py measures nameh against).
APT_PACKAGES := poppler-utils libraqm0 fontconfig fonts-dejavu-core fonts-farsiweb fonts-freefarsi \
	fonts-hosny-amiri fonts-kacst fonts-kacst-one fonts-noto-core fonts-sil-scheherazade \
	fonts-sil-lateef fonts-sil-harmattan fonts-arabeyes fonts-lemonada tesseract-ocr tesseract-ocr-fas
# Fonts published on npm, copied where fontconfig and the generator look for system fonts.
NPM_FONTS := vazirmatn@33.0.3 sahel-font@3.4.0 samim-font@4.0.5 shabnam-font@5.0.0 tanha-font@0.10.0 \
	parastoo-font@2.0.1 gandom-font@0.8.0 nahid-font@0.3.0
NPM_FONT_FAMILIES := samim shabnam tanha parastoo gandom nahid
NPM_FONT_DIR := /usr/local/share/fonts/nameh-npm
# Google fonts with Persian letters and digits, as Fontsource npm packages (WOFF subsets), merged
# into TTF by data/synth/webfonts.py. Left out after looking at them: Alexandria, Cairo, Changa,
# El Messiri, Baloo Bhaijaan 2 (Persian 4/6 drawn the Arabic way), Zain (Persian digits drawn as
# Latin), Readex Pro and Tajawal (no Persian letters), Aref Ruqaa (gaf does not join), Gulzar
# (Nastaliq), Noto Sans Arabic (Debian's copy is used instead), Scheherazade New (an SIL
# naskh close to the old Scheherazade already in training and to the held-out SIL Lateef),
# Ruwudu and Alkalami (no چ, no Persian digits), Marhey and Rakkas (dots of ی or پ lost).
WEBFONTS := almarai beiruti estedad ibm-plex-sans-arabic kufam lalezar mada markazi-text mirza \
	playpen-sans-arabic reem-kufi
WEBFONT_VERSION := 5.3.0
WEBFONT_DIR := /usr/local/share/fonts/nameh-webfonts
WEBFONT_STAMP := $(WEBFONT_DIR)/.installed-$(WEBFONT_VERSION)
SYS_STAMP := .cache/system-deps.stamp
PY_STAMP := $(VENV)/.installed.stamp

.PHONY: demo test setup system-deps lint samples sample-scans clean train-detector bench-detector \
	train-glyphs train-reader bench-recognizers

# Read the bundled sample scans (data/samples) with the shipped weights, then score them.
demo: setup
	$(BIN)/nameh input_dir=data/samples output_dir=outputs/demo save_overlays=true
	@echo; echo "CSV written to outputs/demo/metadata.csv (traces: outputs/demo/detections.jsonl, overlays: outputs/demo/overlays/)"
	@echo "--- preview ---"; cut -d, -f1-7,12 outputs/demo/metadata.csv | head -n 12
	@echo "--- against the samples' truth ---"
	$(BIN)/nameh-eval truth=data/samples/truth.csv pred=outputs/demo/metadata.csv

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .

setup: system-deps $(PY_STAMP) $(WEBFONT_STAMP)

system-deps: $(SYS_STAMP)

$(SYS_STAMP): Makefile
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "installing system packages: $(APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi
	@if [ ! -f $(NPM_FONT_DIR)/Vazirmatn-Regular.ttf ] || [ ! -f $(NPM_FONT_DIR)/Sahel.ttf ] || \
		[ ! -f $(NPM_FONT_DIR)/Nahid.ttf ]; then \
		echo "installing npm fonts: $(NPM_FONTS)"; \
		tmp=$$(mktemp -d) && npm install --silent --no-audit --no-fund --prefix $$tmp $(NPM_FONTS) && \
		mkdir -p $(NPM_FONT_DIR) && \
		cp $$tmp/node_modules/vazirmatn/fonts/ttf/*.ttf $(NPM_FONT_DIR)/ && \
		cp $$tmp/node_modules/sahel-font/dist/Sahel*.ttf $(NPM_FONT_DIR)/ && \
		for family in $(NPM_FONT_FAMILIES); do cp $$tmp/node_modules/$$family-font/dist/*.ttf $(NPM_FONT_DIR)/; done && \
		rm -rf $$tmp && fc-cache -f >/dev/null; \
	fi
	@mkdir -p $(dir $@) && touch $@

$(WEBFONT_STAMP): Makefile | $(PY_STAMP)
	@echo "installing web fonts: $(WEBFONTS)"
	tmp=$$(mktemp -d) && npm install --silent --no-audit --no-fund --prefix $$tmp \
		$(foreach f,$(WEBFONTS),@fontsource/$(f)@$(WEBFONT_VERSION)) && \
		$(BIN)/python -m data.synth.webfonts $$tmp/node_modules/@fontsource $(WEBFONT_DIR) $(WEBFONTS) && \
		rm -rf $$tmp && fc-cache -f >/dev/null && touch $@

$(PY_STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch and torchvision come from this machine's local wheel cache (see README).
	$(BIN)/pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Re-render the committed contact sheets from a 12-page corpus.
samples: setup
	$(BIN)/nameh-synth out=outputs/contact_corpus pages=12 seed=0
	$(BIN)/nameh-contact-sheets corpus=outputs/contact_corpus out=data/contact_sheets

# Re-make the committed sample scans (held-out fonts) and their truth.
sample-scans: setup
	$(BIN)/nameh-synth out=outputs/samples_src pages=10 seed=5 synth/fonts=heldout workers=1
	rm -rf data/samples && $(BIN)/python -m data.synth.samples --corpus outputs/samples_src --out data/samples

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

# The readers (about an hour each here; see the model cards for the exact commands).
train-glyphs: setup
	$(BIN)/nameh-train-glyphs
train-reader: setup
	$(BIN)/nameh-train-reader

# The test corpus: held-out fonts, never used to train or to pick an epoch.
data/generated/test/truth.csv: | setup
	$(BIN)/nameh-synth out=data/generated/test pages=300 seed=3 synth/fonts=heldout

# Held-out accuracy/CER and CPU throughput of the shipped readers.
bench-recognizers: setup data/generated/test/truth.csv
	$(BIN)/python benchmarks/recognizers.py --corpus data/generated/test --json outputs/bench/recognizers.json

clean:
	rm -rf $(VENV) .cache outputs/*
