"""Watermarks burned into card images with Pillow (installed with reportlab). Imported only when an officer opens
the card images, never at the API's cold start."""

from __future__ import annotations

import io
from pathlib import Path

from ..ports import ImageStamp

FONT = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"
MAX_PIXELS = 40_000_000  # a phone photo is ~12 MP; anything far larger is refused, not decoded
LONGEST_SIDE = 1600  # the copy an officer needs to read a card, not the original's full resolution


class PillowStamp(ImageStamp):
    def stamp(self, image: bytes, lines: tuple[str, ...]) -> bytes:
        from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            with Image.open(io.BytesIO(image)) as opened:
                picture = ImageOps.exif_transpose(opened).convert("RGB")
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as err:
            raise ValueError("not an image that can be shown") from err
        picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        width, height = picture.size
        size = max(14, min(width, height) // 14)
        font = ImageFont.truetype(str(FONT), size)
        # the text tiled across the whole picture at an angle: cropping does not remove it
        side = int((width ** 2 + height ** 2) ** 0.5)
        layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        text = "  ".join(lines)
        step_x, step_y = int(draw.textlength(text, font=font)) + size * 2, size * 4
        for row, y in enumerate(range(0, side, step_y)):
            for x in range(-step_x + (row % 2) * step_x // 2, side, step_x):
                draw.text((x, y), text, font=font, fill=(200, 30, 40, 110))
        layer = layer.rotate(30, resample=Image.Resampling.BICUBIC)
        left, top = (side - width) // 2, (side - height) // 2
        layer = layer.crop((left, top, left + width, top + height))
        stamped = Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")
        out = io.BytesIO()
        stamped.save(out, "JPEG", quality=85)
        return out.getvalue()
