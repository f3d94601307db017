"""Synthetic Persian official letters: pages, YOLO boxes, glyph crops, line crops and truth.

Run `nameh-synth out=DIR pages=N seed=S` (see `data.synth.cli`), or call `generate(cfg)`.
"""
