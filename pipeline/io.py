"""Finding and opening scans: every page of every supported file as an RGB numpy array.

Each kind of bad file raises its own `InputError` subclass, so the pipeline can write a clear
message into the CSV and go on with the batch.

Example:
    >>> files, skipped = list_inputs("data/samples")                       # doctest: +SKIP
    >>> for page_number, page in open_pages(files[0]): ...                 # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = IMAGE_SUFFIXES | PDF_SUFFIXES


class InputError(Exception):
    """A file nameh cannot read; the message says why."""


class UnsupportedFileError(InputError):
    """Not an image or PDF nameh reads (by its content, whatever its name)."""


class EmptyFileError(InputError):
    """A file of zero bytes, or a document without pages."""


class CorruptFileError(InputError):
    """A damaged or truncated file."""


class EncryptedFileError(InputError):
    """A password-protected PDF."""


class ImageTooLargeError(InputError):
    """More pixels than `max_pixels` (a decompression bomb or a huge poster scan)."""


class InputDirError(InputError):
    """The input folder is missing, not a folder, or holds no supported file."""


def list_inputs(input_dir: str | Path) -> tuple[list[Path], list[Path]]:
    """(supported files, skipped files) under `input_dir`, recursively, in sorted order.

    Raises:
        InputDirError: the folder does not exist or has no supported file.
    """
    root = Path(input_dir)
    if not root.is_dir():
        raise InputDirError(f"input folder not found: {root}")
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    supported = [p for p in files if p.suffix.lower() in SUPPORTED]
    skipped = [p for p in files if p.suffix.lower() not in SUPPORTED]
    if not supported:
        raise InputDirError(f"no scans in {root} (looked for {', '.join(sorted(SUPPORTED))})")
    return supported, skipped


def open_pages(
    path: Path, pdf_dpi: int = 200, max_pixels: int = 100_000_000
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (1-based page number, RGB uint8 page) for every page of an image or PDF file.

    Raises:
        InputError: the subclass for what is wrong; raised before the first page for a file that
            cannot be opened, or when a later page turns out to be damaged.
    """
    if path.stat().st_size == 0:
        raise EmptyFileError(f"{path.name}: empty file (0 bytes)")
    if path.suffix.lower() in PDF_SUFFIXES:
        yield from _pdf_pages(path, pdf_dpi, max_pixels)
    else:
        yield from _image_pages(path, max_pixels)


def _image_pages(path: Path, max_pixels: int) -> Iterator[tuple[int, np.ndarray]]:
    try:
        image = Image.open(path)
    except UnidentifiedImageError:
        raise UnsupportedFileError(f"{path.name}: not an image nameh can read") from None
    except Image.DecompressionBombError as error:
        raise ImageTooLargeError(f"{path.name}: {error}") from None
    except OSError as error:
        raise CorruptFileError(f"{path.name}: cannot open: {error}") from None
    with image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            width, height = frame.size
            if width * height > max_pixels:
                raise ImageTooLargeError(
                    f"{path.name}: page {number} has {width}x{height} px, more than max_pixels={max_pixels}"
                )
            try:
                rgb = np.asarray(frame.convert("RGB"))
            except (OSError, ValueError, SyntaxError) as error:  # truncated or damaged data
                raise CorruptFileError(f"{path.name}: page {number} is damaged: {error}") from None
            yield number, rgb


def _pdf_pages(path: Path, dpi: int, max_pixels: int) -> Iterator[tuple[int, np.ndarray]]:
    from pdf2image import convert_from_path, pdfinfo_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError

    try:
        info = pdfinfo_from_path(str(path))
    except PDFInfoNotInstalledError as error:
        raise RuntimeError("poppler (pdfinfo, pdftoppm) is not installed: run `make setup`") from error
    except (PDFPageCountError, PDFSyntaxError) as error:
        message = str(error)
        if "password" in message.lower() or "encrypted" in message.lower():
            raise EncryptedFileError(f"{path.name}: password-protected PDF") from None
        raise CorruptFileError(f"{path.name}: not a readable PDF: {message.strip()[:200]}") from None
    if info.get("Encrypted", "no").startswith("yes"):
        raise EncryptedFileError(f"{path.name}: password-protected PDF")
    pages = int(info.get("Pages", 0))
    if pages == 0:
        raise EmptyFileError(f"{path.name}: a PDF without pages")
    width_pt, height_pt = (float(v) for v in info.get("Page size", "595 x 842").split()[0:3:2])
    if width_pt * height_pt * (dpi / 72) ** 2 > max_pixels:
        raise ImageTooLargeError(
            f"{path.name}: pages of {width_pt:.0f}x{height_pt:.0f} pt at {dpi} dpi "
            f"are more than max_pixels={max_pixels}"
        )
    for number in range(1, pages + 1):
        try:
            images = convert_from_path(str(path), dpi=dpi, first_page=number, last_page=number)
        except Exception as error:  # pdftoppm failures surface as several exception types
            raise CorruptFileError(f"{path.name}: page {number} cannot be rendered: {error}") from None
        if not images:
            raise CorruptFileError(f"{path.name}: page {number} rendered to nothing")
        yield number, np.asarray(images[0].convert("RGB"))
