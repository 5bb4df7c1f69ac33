"""What `check` looks at beyond a build: links to places in pages, posts without a summary, titles used twice."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence

from sitegen.errors import Problem
from sitegen.links import LinkFindings
from sitegen.model import Page, TocEntry

_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


def page_ids(page: Page) -> frozenset[str]:
    """The ids a link can lead to in a page's body: headings, footnotes, ids written in raw HTML."""
    found = {html.unescape(next(g for g in match.groups() if g is not None)) for match in _ID.finditer(page.html)}
    return frozenset(found | set(_toc_anchors(page.toc)))


def _toc_anchors(entries: Sequence[TocEntry]) -> list[str]:
    return [anchor for entry in entries for anchor in (entry.anchor, *_toc_anchors(entry.children))]


def audit_pages(pages: Sequence[Page], findings: Mapping[str, LinkFindings], template_ids: frozenset[str],
                title_lines: Mapping[str, int | None]) -> tuple[Problem, ...]:
    """Every problem `check` reports on top of the build's, each at its file and line."""
    return (*_anchor_problems(pages, findings, template_ids), *_summary_problems(pages, title_lines),
            *_title_problems(pages, title_lines))


def _anchor_problems(pages: Sequence[Page], findings: Mapping[str, LinkFindings],
                     template_ids: frozenset[str]) -> list[Problem]:
    """Links to a heading or another place that does not exist in the page they lead to."""
    by_path = {page.path: page for page in pages}
    ids: dict[str, frozenset[str]] = {}
    problems = []
    for page in pages:
        found = findings.get(page.source)
        for anchor in found.anchors if found else ():
            target = by_path.get(anchor.site_path)
            if target is None:
                continue  # a section, tag or year page: only the templates' ids, which a post cannot know
            known = ids.get(target.path)
            if known is None:
                known = ids[target.path] = page_ids(target)
            renamed = f"muc-{anchor.fragment}"  # a heading named like a template's id gets this prefix
            if anchor.fragment in template_ids and renamed in known:
                problems.append(Problem(page.source, anchor.line, f"liên kết '{anchor.href}' dẫn tới phần "
                                        f"'#{anchor.fragment}' của khung trang, không phải tới mục cùng tên trong "
                                        f"bài; hãy viết '#{renamed}'"))
                continue
            if anchor.fragment in known or anchor.fragment in template_ids:
                continue
            where = "trong bài này" if target is page else f"trong bài '{target.title}'"
            problems.append(Problem(page.source, anchor.line, f"liên kết '{anchor.href}' trỏ tới mục "
                                    f"'#{anchor.fragment}' không có {where}{_anchor_hint(anchor.fragment, known)}"))
    return problems


def _anchor_hint(fragment: str, known: frozenset[str]) -> str:
    """The id most like a missing one (a shortened or lengthened heading too), else how ids are made."""
    headings = sorted(known)
    near = [k for k in headings if k.startswith(fragment) or fragment.startswith(k)]
    near = near or difflib.get_close_matches(fragment, headings, n=1, cutoff=0.6)
    if near:
        return f"; có phải '#{near[0]}'?"
    return ("; mã của một mục là tiêu đề của nó viết thường, không dấu, nối bằng gạch ngang (mục “Kết quả thực "
            "hiện” có mã #ket-qua-thuc-hien)")


def _summary_problems(pages: Sequence[Page], title_lines: Mapping[str, int | None]) -> list[Problem]:
    """Posts without a written summary: lists and shared links then show the start of the body."""
    message = ("bài chưa có tóm tắt (summary): danh sách bài và ô xem trước khi chia sẻ lên Facebook, Zalo sẽ lấy "
               "đoạn đầu bài; hãy thêm dòng summary: \"…\" với một hai câu tóm tắt")
    return [Problem(page.source, title_lines.get(page.source), message, warning=True)
            for page in pages if page.is_post and page.summary_from_body]


def _title_key(page: Page) -> tuple[str, str]:
    title = " ".join(unicodedata.normalize("NFC", page.title).casefold().split())
    return title, str(page.document.number) if page.document else ""  # documents differ by their number


def _title_problems(pages: Sequence[Page], title_lines: Mapping[str, int | None]) -> list[Problem]:
    """Two pages with one title: readers, search results and shared links cannot tell them apart."""
    first: dict[tuple[str, str], Page] = {}
    problems = []
    for page in sorted(pages, key=lambda p: (p.date, p.source)):
        key = _title_key(page)
        if key in first:
            message = (f"tiêu đề '{page.title}' trùng với {first[key].source}; người đọc và kết quả tìm kiếm khó "
                       "phân biệt hai bài, hãy đặt tiêu đề khác")
            problems.append(Problem(page.source, title_lines.get(page.source), message, warning=True))
        else:
            first[key] = page
    return problems
