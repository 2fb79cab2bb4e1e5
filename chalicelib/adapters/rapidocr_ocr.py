"""The local Chinese OCR engine behind the OCR port: RapidOCR with the PP-OCRv4 models shipped inside the
``rapidocr-onnxruntime`` wheel (no download at run time). Default for Chinese ID cards and business licences,
and what the local stack uses. The engine is built once per container: loading the models takes ~0.5 s."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from typing import Any

from ..domain.ocr import Box, OcrLine, OcrResult
from ..ports import OcrEngine

_engine: Any = None
_lock = threading.RLock()


def _load() -> Any:
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR  # heavy (onnxruntime, opencv): only this function pays
            except ImportError as err:  # not a bad photo: fail the event so it is retried, then dead-lettered
                raise RuntimeError("the OCR engine is not installed in this function (requirements-ocr.txt)") from err

            _engine = RapidOCR()
        return _engine


class UnreadableImageError(ValueError):
    """The bytes are not an image the engine can decode."""


_results: OrderedDict[str, OcrResult] = OrderedDict()  # by content hash, for the container's life, as the engine


class RapidOcr(OcrEngine):
    """Results are cached by content hash (a re-sent photo is not read twice in a warm container). The cache
    lives with the engine, not with this adapter, so wiring the adapters again (the tests do, for every test)
    does not forget what the container has read."""

    def __init__(self, cache_size: int = 64) -> None:
        self._cache_size = cache_size

    def read(self, document: bytes) -> OcrResult:
        digest = hashlib.sha256(document).hexdigest()
        with _lock:
            if digest in _results:
                _results.move_to_end(digest)
                return _results[digest]
        result = self._read(document)
        with _lock:
            _results[digest] = result
            while len(_results) > self._cache_size:
                _results.popitem(last=False)
        return result

    def _read(self, document: bytes) -> OcrResult:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(document)) as image:
                width, height = image.size
                image.verify()  # a truncated or corrupt file fails here, not deep inside the engine
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
            raise UnreadableImageError("not a readable image") from err
        raw, _ = _load()(document)
        lines = []
        for points, text, score in raw or []:
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            lines.append(OcrLine(str(text), float(score),
                                 Box(min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height)))
        return OcrResult("rapidocr", 1, tuple(lines))
