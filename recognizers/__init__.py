"""Recognizers: the glyph classifier and the CRNN reader, and the text conventions they share."""
