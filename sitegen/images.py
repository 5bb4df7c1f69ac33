"""Photos staff drop in: sizes, WebP copies and a cache, made with Pillow (its only importer)."""

from __future__ import annotations

import hashlib
import struct
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from sitegen.routes import media_stem

WIDTHS = (480, 960, 1440)
MAX_WIDTH = 1600
DEFAULT_WIDTH = 960
SHARE_SIZE = (1200, 630)  # what Facebook and Zalo show for a shared link
CACHE_DIR = ".cache/images"
_ENCODER_VERSION = "1"  # bump to re-encode every cached image after changing the settings below
_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
# Photos above this are refused before decoding (a 20000×20000 picture takes a gigabyte to open).
# Phone cameras reach 50–200 megapixels but save far smaller pictures by default.
MAX_PIXELS = 100_000_000
Image.MAX_IMAGE_PIXELS = None  # Pillow's own check would stop before the size is known; ours is in _plan
_TOO_BIG = ("ảnh quá lớn ({megapixels} triệu điểm ảnh, tối đa " + str(MAX_PIXELS // 1_000_000) + " triệu); "
            "hãy thu nhỏ ảnh (ví dụ bằng Paint: Thay đổi kích thước, còn khoảng 2000 điểm ảnh chiều ngang) rồi "
            "đưa lên lại")
_BROKEN = ("tệp ảnh hỏng hoặc không phải ảnh (mở thử bằng trình xem ảnh; nếu không xem được, hãy "
           "chép lại ảnh gốc)")


class ImageError(Exception):
    """An image that cannot be used, with a Vietnamese reason."""


@dataclass(frozen=True)
class Variant:
    """One resized copy of a photo."""

    site_path: str
    width: int
    height: int
    format: str  # "JPEG", "PNG", "WEBP"
    crop: bool = False  # cut to the width/height ratio instead of scaling the whole photo
    focus: tuple[float, float] = (0.5, 0.5)  # the point of the photo (0–1 across, 0–1 down) a crop centres on


@dataclass(frozen=True)
class ResponsiveImage:
    """A photo and the copies a browser chooses from (srcset)."""

    source: str  # project path, "content/…/anh.jpg"
    width: int
    height: int
    variants: tuple[Variant, ...]

    def of_format(self, image_format: str) -> tuple[Variant, ...]:
        """Copies in one format, narrowest first."""
        return tuple(v for v in self.variants if v.format == image_format and not v.crop)

    @property
    def fallback(self) -> tuple[Variant, ...]:
        """Copies in the photo's own format (for browsers without WebP)."""
        return tuple(v for v in self.variants if v.format != "WEBP" and not v.crop) or self.variants

    @property
    def share(self) -> Variant:
        """The 1200×630 picture Facebook and Zalo show with a shared link."""
        return next((v for v in self.variants if v.crop), self.default)

    @property
    def default(self) -> Variant:
        """The copy used as `src`: the widest not above 960 px."""
        fitting = [v for v in self.fallback if v.width <= DEFAULT_WIDTH]
        return fitting[-1] if fitting else self.fallback[0]


Focus = tuple[float, float] | None


def plan_image(source: str, path: Path, digest: str, focus: Focus = None) -> ResponsiveImage:
    """The copies a photo is published as (read from its header only); ImageError when it cannot be used."""
    return _plan(source, path, digest, focus)


def share_focus(width: int, height: int, focus: tuple[float, float] | None) -> tuple[float, float]:
    """Where the share crop centres: the given point, else the upper third of a portrait photo (faces)."""
    if focus is not None:
        return focus
    return (0.5, 1 / 3) if height > width else (0.5, 0.5)


def crop_box(width: int, height: int, ratio: float, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of `ratio` (width / height) in the photo, centred on `focus` as far as it can be."""
    if width / height > ratio:
        box_width, box_height = round(height * ratio), height
    else:
        box_width, box_height = width, round(width / ratio)
    left = min(max(round(focus[0] * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focus[1] * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def _plan(source: str, path: Path, file_digest: str, focus: Focus = None) -> ResponsiveImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header only: the size is known before decoding
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageError(_TOO_BIG.format(megapixels=round(width * height / 1e6)))
                image.verify()
            with Image.open(path) as image:
                image_format = image.format or ""
                orientation = image.getexif().get(0x0112, 1)
    except Image.DecompressionBombError:
        raise ImageError(_TOO_BIG.format(megapixels="hàng trăm")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise ImageError(f"{_BROKEN} [{type(error).__name__}]") from None
    if orientation in _ROTATED:
        width, height = height, width
    digest = hashlib.sha256((file_digest + _ENCODER_VERSION).encode()).hexdigest()[:10]
    stem = media_stem(source)
    if image_format not in ("JPEG", "PNG"):  # GIF, AVIF…: published as they are
        ext = PurePosixPath(source).suffix.lower().lstrip(".")
        return ResponsiveImage(source, width, height,
                               (Variant(f"{stem}.{digest}.{ext}", width, height, "ORIGINAL"),))
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, MAX_WIDTH)})
    variants = []
    for image_format_out in (image_format, "WEBP"):
        ext = _FORMATS[image_format_out][0]
        for w in widths:
            h = max(1, round(height * w / width))
            variants.append(Variant(f"{stem}-{w}.{digest}.{ext}", w, h, image_format_out))
    share_width = min(width, SHARE_SIZE[0])
    share_height = round(share_width * SHARE_SIZE[1] / SHARE_SIZE[0])
    point = share_focus(width, height, focus)
    share_digest = hashlib.sha256(f"{digest}{point}".encode()).hexdigest()[:10]
    variants.append(Variant(f"{stem}-chia-se.{share_digest}.jpg", share_width, share_height, "JPEG", crop=True,
                            focus=point))
    return ResponsiveImage(source, width, height, tuple(variants))


def produce(images: Sequence[ResponsiveImage], files: Mapping[str, Path], cache: Path,
            tick: Callable[[int, int], None] | None = None) -> tuple[dict[str, Path], dict[str, str]]:
    """Make every copy the site uses (from the cache when the photo did not change).

    Returns site path → file, and project path → Vietnamese reason for photos that failed to decode.
    `tick(done, total)` is told after each photo that had to be made.
    """
    cache.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    failed: dict[str, str] = {}
    for number, image in enumerate(images, 1):
        source = files[image.source]
        for variant in image.variants:
            target = cache / PurePosixPath(variant.site_path).name
            if not _looks_whole(target, variant.format, source):  # missing, or damaged outside the generator
                try:
                    _encode(source, variant, target)
                except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError) as error:
                    target.with_name(target.name + ".part").unlink(missing_ok=True)
                    failed[image.source] = f"{_BROKEN} [{type(error).__name__}: {error}]"
                    break
                if tick is not None:
                    tick(number, len(images))
            made[variant.site_path] = target
    return made, failed


def _looks_whole(copy: Path, kind: str, source: Path) -> bool:
    """A cached copy that starts and ends as its format does (a copy damaged on disk is made again)."""
    try:
        size = copy.stat().st_size
        if kind == "ORIGINAL":
            return size == source.stat().st_size
        with copy.open("rb") as handle:
            head = handle.read(12)
            handle.seek(max(0, size - 12))
            tail = handle.read(12)
    except OSError:
        return False
    if kind == "JPEG":
        return head.startswith(b"\xff\xd8") and tail.endswith(b"\xff\xd9")
    if kind == "PNG":
        return head.startswith(b"\x89PNG\r\n\x1a\n") and tail.endswith(b"IEND\xaeB`\x82")
    if kind == "WEBP":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP" and int.from_bytes(head[4:8], "little") + 8 == size
    return size > 0


def _on_white(image: Image.Image) -> Image.Image:
    """An RGB copy with any transparency laid on white (JPEG has no transparency; black would show)."""
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def _encode(source: Path, variant: Variant, target: Path) -> None:
    """Resize and re-encode one copy; EXIF (with any GPS position) is not carried over."""
    partial = target.with_name(target.name + ".part")
    if variant.format == "ORIGINAL":
        partial.write_bytes(source.read_bytes())
    else:
        with Image.open(source) as opened:
            if opened.format == "JPEG":
                opened.draft("RGB", (variant.width, variant.height))
            image = ImageOps.exif_transpose(opened)
            if variant.format == "JPEG" and image.mode not in ("RGB", "L"):
                image = _on_white(image)
            elif image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            size = (variant.width, variant.height)
            if variant.crop:
                box = crop_box(image.width, image.height, size[0] / size[1], variant.focus)
                image = image.resize(size, Image.Resampling.LANCZOS, box=box)
            else:
                image = image.resize(size, Image.Resampling.LANCZOS)
            options = {"JPEG": {"quality": 82, "optimize": True, "progressive": True},
                       "PNG": {"optimize": True}, "WEBP": {"quality": 80, "method": 4}}[variant.format]
            image.save(partial, format=variant.format, **options)
    partial.replace(target)
