"""Photos staff drop in: resized copies and WebP, dimensions, cache, originals untouched, bad files."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

import sitegen.images as images_module
from sitegen.errors import BuildFailed
from tests.sitebuilder import build_at, html_at, jpeg, make_site, post


def _photo_with_exif(width: int, height: int, orientation: int) -> bytes:
    image = Image.new("RGB", (width, height), (30, 90, 160))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (12.0, 0.0, 0.0)}  # a GPS position, as phones record
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _build_with(tmp_path: Path, body: str, files: dict[str, bytes]) -> Path:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body),
                                **{f"content/tin-hoat-dong/{name}": data for name, data in files.items()}})
    build_at(root)
    return root


def test_body_photo_becomes_a_responsive_picture(tmp_path: Path) -> None:
    original = jpeg(3000, 2000)
    root = _build_with(tmp_path, "Đoạn.\n\n![Trao quà tại bon](anh/tet.jpg)", {"anh/tet.jpg": original})
    picture = html_at(root, "tin-hoat-dong/x/").select_one(".prose picture")
    image = picture.img
    assert image["alt"] == "Trao quà tại bon"
    assert (image["width"], image["height"]) == ("960", "640")
    assert picture.source["type"] == "image/webp"
    files = sorted(p.name for p in (root / "output/media/tin-hoat-dong/anh").iterdir())
    assert [f.split(".")[0] for f in files] == ["tet-1440", "tet-1440", "tet-1600", "tet-1600", "tet-480", "tet-480",
                                                "tet-960", "tet-960", "tet-chia-se"]
    with Image.open(root / "output" / "media/tin-hoat-dong/anh" / next(f for f in files if f.startswith("tet-480")
                                                                        and f.endswith(".webp"))) as small:
        assert small.size == (480, 320) and small.format == "WEBP"
    assert (root / "content/tin-hoat-dong/anh/tet.jpg").read_bytes() == original


def test_small_photos_are_not_enlarged_and_png_stays_png(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, format="PNG")
    root = _build_with(tmp_path, "![Sơ đồ](so-do.png)", {"so-do.png": buffer.getvalue()})
    image = html_at(root, "tin-hoat-dong/x/").select_one(".prose picture img")
    assert image["srcset"].endswith(" 300w") and ".png" in image["src"] and image["width"] == "300"


def test_phone_rotation_is_applied_and_location_is_dropped(tmp_path: Path) -> None:
    root = _build_with(tmp_path, "![Ảnh dọc](doc.jpg)", {"doc.jpg": _photo_with_exif(1200, 900, orientation=6)})
    image = html_at(root, "tin-hoat-dong/x/").select_one(".prose picture img")
    assert (image["width"], image["height"]) == ("900", "1200")
    copy = next((root / "output/media/tin-hoat-dong").glob("doc-480.*.jpg"))
    with Image.open(copy) as published:
        assert published.size == (480, 640)
        assert 0x8825 not in published.getexif() and 0x0112 not in published.getexif()


def test_photos_are_encoded_once_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_encode = images_module._encode

    def counting(source: Path, variant: images_module.Variant, target: Path) -> None:
        calls.append(variant.site_path)
        real_encode(source, variant, target)

    monkeypatch.setattr(images_module, "_encode", counting)
    root = _build_with(tmp_path, "![Ảnh](anh.jpg)", {"anh.jpg": jpeg(1000, 500)})
    first = len(calls)
    assert first == 7  # 480, 960, 1000 in JPEG and WebP, and the picture for sharing
    build_at(root)
    assert len(calls) == first
    (root / "content/tin-hoat-dong/anh.jpg").write_bytes(jpeg(1000, 500, colour=(0, 128, 0)))
    build_at(root)
    assert len(calls) == 2 * first


def test_copies_damaged_in_the_cache_are_made_again_not_published(tmp_path: Path) -> None:
    # Catches a cached copy trusted by its name alone: a disk error, an antivirus or a sync tool that
    # damaged .cache/images/ put broken photos on the site with a build that said all was well.
    root = _build_with(tmp_path, "![Ảnh](anh.jpg)", {"anh.jpg": jpeg(1000, 500)})
    copies = sorted((root / ".cache/images").iterdir())
    for number, copy in enumerate(copies):
        data = copy.read_bytes()
        copy.write_bytes(os.urandom(len(data)) if number % 2 else data[: len(data) // 2])  # garbage, or cut off
    shutil.rmtree(root / "output")
    build_at(root)
    published = sorted((root / "output/media/tin-hoat-dong").iterdir())
    assert len(published) == len(copies)
    for photo in published:
        with Image.open(photo) as opened:
            opened.load()  # raises on a damaged file


def test_corrupt_photo_is_a_clear_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="Đoạn.\n\n![Ảnh](hong.jpg)"),
                                "content/tin-hoat-dong/hong.jpg": b"\xff\xd8\xff\xe0 not really a photo"})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 8)
    assert "tệp ảnh hỏng hoặc không phải ảnh" in error.message


def test_corrupt_front_matter_photo_names_its_line(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image="hong.jpg", image_alt='"Ảnh"'),
                                "content/tin-hoat-dong/hong.jpg": jpeg()[:200]})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == ("content/tin-hoat-dong/x.md", 4) and "hỏng" in error.message
    assert "ảnh 'hong.jpg'" in error.message  # named as the post writes it, not by its path in the project


def test_photo_without_description_is_a_warning_with_line(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="Chữ.\n\n![](anh.jpg)"),
                                "content/tin-hoat-dong/anh.jpg": jpeg(600, 400)})
    report = build_at(root)
    warning = next(w for w in report.warnings if "chưa có mô tả" in w.message)
    assert (warning.path, warning.line) == ("content/tin-hoat-dong/x.md", 8)


def test_placeholder_description_left_from_word_is_warned_at_its_line(tmp_path: Path) -> None:
    # Catches the warning losing its line once the photo's address is replaced by its resized copy
    # (the imported post keeps "CẦN VIẾT MÔ TẢ ẢNH"; staff must find which photo on a long page).
    body = "Chữ.\n\nĐoạn hai.\n\n![CẦN VIẾT MÔ TẢ ẢNH](anh.jpg)"
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body=body),
                                "content/tin-hoat-dong/anh.jpg": jpeg(600, 400)})
    report = build_at(root)
    warning = next(w for w in report.warnings if "mô tả tạm" in w.message)
    lines = (root / "content/tin-hoat-dong/x.md").read_text(encoding="utf-8").split("\n")
    assert warning.path == "content/tin-hoat-dong/x.md" and warning.line is not None
    assert lines[warning.line - 1] == "![CẦN VIẾT MÔ TẢ ẢNH](anh.jpg)"


def test_originals_keep_their_bytes_and_time(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="![Ảnh](anh.jpg)"),
                                "content/tin-hoat-dong/anh.jpg": jpeg(2000, 1500)})
    source = root / "content/tin-hoat-dong/anh.jpg"
    os.utime(source, (1_600_000_000, 1_600_000_000))
    before = source.read_bytes()
    build_at(root)
    assert source.read_bytes() == before and source.stat().st_mtime == 1_600_000_000


def test_photo_cut_off_midway_names_the_file(tmp_path: Path) -> None:
    whole = jpeg(2000, 1500)
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", body="![Ảnh](anh.jpg)"),
                                "content/tin-hoat-dong/anh.jpg": whole[: len(whole) // 2]})
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert error.path == "content/tin-hoat-dong/anh.jpg" and "tệp ảnh hỏng" in error.message


def test_transparent_picture_is_shared_on_white(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (1300, 700), (0, 0, 0, 0)).save(buffer, format="PNG")
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin", image="logo.png", image_alt='"Biểu trưng"'),
                                "content/tin-hoat-dong/logo.png": buffer.getvalue()})
    build_at(root)
    shared = next((root / "output/media/tin-hoat-dong").glob("logo-chia-se.*.jpg"))
    with Image.open(shared) as picture:
        assert picture.size == (1200, 630) and picture.getpixel((0, 0)) == (255, 255, 255)


def test_photo_names_with_spaces_and_marks_are_encoded_in_pages(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/x.md": post("Tin", image='"Ảnh trao quà 1.jpg"', image_alt='"Trao quà"'),
        "content/tin-hoat-dong/Ảnh trao quà 1.jpg": jpeg(1000, 700)})
    build_at(root)
    page = html_at(root, "tin-hoat-dong/x/")
    image = page.select_one(".post__image img")
    assert " " not in image["src"] and all(len(entry.split()) == 2 for entry in image["srcset"].split(", "))
    assert " " not in page.find("meta", property="og:image")["content"]
