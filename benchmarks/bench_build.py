"""Benchmark: build a generated site of N posts and report time and peak memory."""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sitegen.model import BuildOptions  # noqa: E402
from sitegen.pipeline import build  # noqa: E402

TAGS = ["Tết", "Bon Jun Júh", "Xã Đức Minh", "Nông thôn mới", "Quỹ Vì người nghèo", "Đền ơn đáp nghĩa",
        "Bếp ăn tình thương", "Khen thưởng", "Sơ kết", "Tổng kết", "Công đoàn", "Chi đoàn"]
PARAGRAPH = ("Thực hiện Kế hoạch số 417/KH-UBND ngày 18/7/2022, cán bộ, công chức Thanh tra tỉnh tích cực "
             "hưởng ứng phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau”, ủng hộ "
             "Quỹ “Vì người nghèo”, thăm hỏi, tặng quà các hộ nghèo tại bon Jun Júh, xã Đức Minh. ")


def make_photos(root: Path, photos: int) -> None:
    """`photos` phone-sized pictures (4000×3000 JPEG) used by generated news posts."""
    from PIL import Image, ImageDraw

    folder = root / "content" / "tin-hoat-dong" / "anh-dien-thoai"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(photos):
        image = Image.new("RGB", (4000, 3000), (40 + number % 200, 90, 160))
        ImageDraw.Draw(image).ellipse((500, 500, 3500, 2500), fill=(200, 160, 60))
        image.save(folder / f"anh-{number}.jpg", quality=92)
        (folder / f"bai-anh-{number}.md").write_text(
            f"---\ntitle: \"Bài có ảnh số {number}\"\ndate: 2024-01-{1 + number % 28:02d} 08:00\n---\n\n"
            f"![Ảnh minh họa số {number}](anh-{number}.jpg)\n", encoding="utf-8")


def make_project(root: Path, posts: int) -> None:
    """A copy of the sample project plus `posts` generated posts."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "site_data.yaml", root / "site_data.yaml")
    shutil.copytree(REPO / "content", root / "content")
    rng = random.Random(2025)
    sections = ["tuyen-truyen", "dien-hinh", "tin-hoat-dong"]
    for number in range(posts):
        section = sections[number % 3]
        folder = root / "content" / section / "sinh-tu-dong"
        folder.mkdir(parents=True, exist_ok=True)
        tags = ", ".join(rng.sample(TAGS, 3))
        extra = (f"name: \"Tập thể số {number}\"\nkind: \"Tập thể\"\nyear: {2022 + number % 4}\n"
                 f"achievement: \"Thành tích minh họa\"\n" if section == "dien-hinh" else "")
        body = "\n\n".join(f"## Mục {i} về Đắk Nông\n\n{PARAGRAPH * 4}" for i in range(1, 5))
        table = "| Nội dung | Số lượng |\n|---|--:|\n| Suất quà | 60 |\n| Hộ được thăm | 35 |\n"
        (folder / f"bai-viet-so-{number}.md").write_text(
            f"---\ntitle: \"Bài viết số {number} về phong trào vì người nghèo\"\n"
            f"date: {2022 + number % 4}-{1 + number % 12:02d}-{1 + number % 28:02d} 08:00\n"
            f"summary: \"Tóm tắt bài {number}.\"\ntags: [{tags}]\n{extra}---\n\n{body}\n\n{table}",
            encoding="utf-8")


QUERIES = ("ngheo", "nguoi ngheo", "ke hoach 417", "bon jun juh", "dak nong")


def measure_search(output: Path) -> str:
    """What a phone downloads for typical queries: manifest, the shards of the words, 20 result files."""
    import gzip
    import json

    from sitegen.search import shard_name, words
    from sitegen.text import fold

    folder = output / "tim-kiem"
    manifest = (folder / "chi-muc.json").read_bytes()
    pages = sorted(p.stat().st_size for p in (folder / "bai").glob("*.json"))
    shown = min(20, len(pages))
    total = sum(p.stat().st_size for p in folder.rglob("*.json")) / 1e6
    lines = [f"tìm kiếm: {len(pages)} trang, chỉ mục {total:.1f} MB ({len(json.loads(manifest)['shards'])} phần)"]
    for query in QUERIES:
        files = [manifest] + [(folder / "chi-muc" / f"{shard_name(fold(w))}.json").read_bytes()
                              for w in dict.fromkeys(words(query))]
        raw = sum(len(f) for f in files) + sum(pages[-shown:])  # the largest result files: an upper bound
        packed = sum(len(gzip.compress(f)) for f in files) + shown * len(gzip.compress(b"x" * pages[len(pages) // 2]))
        lines.append(f"  “{query}”: tối đa {raw / 1024:.0f} KB ({packed / 1024:.0f} KB nếu máy chủ nén gzip)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo thời gian dựng một trang có N bài viết.")
    parser.add_argument("--posts", type=int, default=1000, help="số bài viết sinh ra (mặc định 1000)")
    parser.add_argument("--runs", type=int, default=3, help="số lần dựng (mặc định 3)")
    parser.add_argument("--photos", type=int, default=0,
                        help="số ảnh điện thoại 4000×3000 thêm vào (đo thời gian thu nhỏ ảnh; mặc định 0)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        make_project(root, args.posts)
        make_photos(root, args.photos)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            report = build(BuildOptions(root=root, output=root / "output"))
            times.append(time.perf_counter() - start)
        size = sum(p.stat().st_size for p in (root / "output").rglob("*") if p.is_file())
        search_report = measure_search(root / "output")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bài viết: {args.posts}; trang dựng: {report.pages}; tệp: {report.files}")
    print(f"lần đầu (thu nhỏ ảnh lần đầu): {times[0]:.2f} s")
    print(f"thời gian: tốt nhất {min(times):.2f} s, trung bình {sum(times) / len(times):.2f} s ({args.runs} lần)")
    for timing in report.timings:
        print(f"  {timing.name}: {timing.seconds:.2f} s")
    print(f"bộ nhớ đỉnh (RSS): {peak_mb:.0f} MB; dung lượng output: {size / 1e6:.1f} MB")
    print(search_report)


if __name__ == "__main__":
    main()
