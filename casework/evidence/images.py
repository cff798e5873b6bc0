"""Photos and screenshots: decoded in full and encoded afresh, without their metadata.

A photo's EXIF block can say where it was taken (GPS), when, and on which phone: a photo
of pupils must not carry where they were. Only the pixels are kept (turned the right way
up first, since the turn is itself metadata) and the colour profile. A picture is measured
before it is decoded, so that a small file declaring a vast picture (a "decompression
bomb") is refused without the memory it would take.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from PIL import Image, ImageOps, ImageSequence

from .refusal import Kind, Refused

# Pillow's names, and what the picture is kept as.
FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
_KEPT_INFO = ("transparency",)
_JPEG_QUALITY = 92


def max_pixels() -> int:
    return settings.CASEWORK_IMAGE_MAX_PIXELS


def check(content: bytes, expected: str) -> Kind | None:
    """The picture re-encoded as ``expected`` (a Pillow format name); None if it does not
    decode as one, all the way through."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                # Phone cameras save some photos as multi-picture JPEG (MPO).
                if image.format != expected and (expected, image.format) != ("JPEG", "MPO"):
                    return None
                _measure(image)
                cleaned = _reencode(image, expected)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except Exception:  # any failure to decode means: not a picture
        return None
    content_type, extension = FORMATS[expected]
    return Kind(content_type, extension, cleaned)


def _too_large(pixels: int | None = None) -> Refused:
    size = f" ({pixels / 1e6:.0f} megapixels)" if pixels else ""
    return Refused(
        f"it is a picture too large to open safely{size}; the largest accepted is "
        f"{max_pixels() / 1e6:.0f} megapixels"
    )


def _measure(image: Image.Image) -> None:
    width, height = image.size
    frames = getattr(image, "n_frames", 1) if image.format != "MPO" else 1
    if width * height * frames > max_pixels():
        raise _too_large(width * height * frames)


def _bare(frame: Image.Image) -> Image.Image:
    """The frame's pixels with none of the file's metadata attached."""
    kept = {key: frame.info[key] for key in _KEPT_INFO if key in frame.info}
    frame.info = kept
    return frame


def _reencode(image: Image.Image, expected: str) -> bytes:
    profile = image.info.get("icc_profile")
    extra = {"icc_profile": profile} if profile else {}
    out = io.BytesIO()
    frames = getattr(image, "n_frames", 1)
    if expected == "JPEG" or frames == 1:
        picture = _bare(ImageOps.exif_transpose(image))
        picture.load()
        if expected == "JPEG":
            if picture.mode not in ("RGB", "L", "CMYK"):
                picture = picture.convert("RGB")
            picture.save(out, "JPEG", quality=_JPEG_QUALITY, **extra)
        else:
            picture.save(out, expected, **extra)
        return out.getvalue()
    copies, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copies.append(_bare(frame.copy()))
    copies[0].save(
        out,
        expected,
        save_all=True,
        append_images=copies[1:],
        duration=durations,
        loop=image.info.get("loop", 0),
        **extra,
    )
    return out.getvalue()
