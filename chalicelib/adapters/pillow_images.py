"""Pictures judged with Pillow before the OCR engine or a face service sees them. Pillow is imported on first use
(the document function; never an API cold start)."""

from __future__ import annotations

import io
import sys
import warnings

from ..ports import ImageProbe


class PillowImages(ImageProbe):
    def pixels(self, image: bytes) -> int | None:
        """``Image.open`` reads only the header. Beyond twice its own MAX_IMAGE_PIXELS Pillow refuses even that
        (DecompressionBombError): such a picture is larger than any budget, not unreadable."""
        from PIL import Image, UnidentifiedImageError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # judged here, by our own budget
                with Image.open(io.BytesIO(image)) as opened:
                    width, height = opened.size
        except Image.DecompressionBombError:
            return sys.maxsize
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None
        return int(width) * int(height)

    def decodes(self, image: bytes) -> bool:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(image)) as opened:
                opened.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return False
        return True
