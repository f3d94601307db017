"""The class names the corpus is labelled with: the contract between the generator and the models.

Dependency-free, so the detector and the readers can import it without loading the generator.

Example:
    >>> YOLO_CLASSES[:2], GLYPH_LABELS["slash"]
    (('number_label', 'number_value'), '/')
"""

FIELDS = ("number", "date", "attachment", "title")
YOLO_CLASSES = tuple(f"{f}_{part}" for f in FIELDS for part in ("label", "value"))
GLYPH_CLASSES = (*(str(d) for d in range(10)), "dash", "underscore", "slash", "Date", "dated",
                 "attachment", "number", "title", "Otherchar")
GLYPH_LABELS = {"dash": "-", "underscore": "_", "slash": "/"}  # folder name -> class label
