"""What `serve` adds to a page it serves: the live-reload script and, after a failed save, the error overlay."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from sitegen.errors import Problem

OVERLAY_ID = "sitegen-loi"
MAX_LISTED = 30
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

_OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;"
    "background:rgba(24,24,24,.94);color:#fff;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "text-align:left")
_CODE_STYLE = "color:#ffd966;font:inherit;font-weight:bold;word-break:break-all"
_BUTTON_STYLE = ("font:inherit;padding:.4rem 1rem;margin-top:1rem;border:2px solid #fff;border-radius:4px;"
                 "background:#fff;color:#111;cursor:pointer")


def live_script(port: int) -> bytes:
    """The livereload.js tag: it finds the server's host and port from its own address."""
    return f'<script src="/livereload.js?port={port}"></script>'.encode()


def overlay(problems: Sequence[Problem], internal: bool = False) -> str:
    """The error box over the page: what is wrong (file and line) and that the last good site is shown."""
    heading = ("Trình tạo trang gặp lỗi nội bộ khi dựng lại" if internal
               else f"Chưa dựng lại được trang: {len(problems)} lỗi")
    items = "".join(_item(problem) for problem in problems[:MAX_LISTED])
    more = (f"<li>… và {len(problems) - MAX_LISTED} lỗi khác (sửa các lỗi trên rồi lưu lại để xem tiếp)</li>"
            if len(problems) > MAX_LISTED else "")
    return (
        f'<div id="{OVERLAY_ID}" role="alertdialog" aria-modal="true" aria-labelledby="{OVERLAY_ID}-tieu-de" '
        f'lang="vi" style="{_OVERLAY_STYLE}">'
        f'<h2 id="{OVERLAY_ID}-tieu-de" style="font-size:1.4rem;margin:0 0 .75rem;color:#fff">{heading}</h2>'
        '<p style="margin:0 0 1rem">Sửa lỗi rồi lưu tệp: trang sẽ tự tải lại. Bên dưới thông báo này vẫn là '
        "bản dựng tốt gần nhất.</p>"
        f'<ul style="margin:0;padding-left:1.25rem">{items}{more}</ul>'
        f'<button type="button" style="{_BUTTON_STYLE}" '
        f"onclick=\"document.getElementById('{OVERLAY_ID}').remove()\">Ẩn thông báo</button>"
        "</div>")


def _item(problem: Problem) -> str:
    place = problem.path + (f":{problem.line}" if problem.line else "")
    return (f'<li style="margin:0 0 .5rem"><code style="{_CODE_STYLE}">{html.escape(place)}</code>: '
            f"{html.escape(problem.message)}</li>")


def decorate(page: bytes, port: int, shown_overlay: str | None) -> bytes:
    """A served HTML page with the live-reload script in its head and the overlay (if any) before </body>."""
    script = live_script(port)
    page, found = _HEAD_END.subn(lambda match: script + match.group(0), page, count=1)
    if not found:
        page = script + page
    if shown_overlay:
        box = shown_overlay.encode()
        page, found = _BODY_END.subn(lambda match: box + match.group(0), page, count=1)
        if not found:
            page += box
    return page


def waiting_page(port: int, shown_overlay: str | None) -> bytes:
    """The page served before any build has succeeded: the overlay, or a note that the build is running."""
    note = ("" if shown_overlay else
            "<p>Đang dựng bản xem trước… Trang sẽ tự tải lại khi xong.</p>")
    page = ('<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Xem trước</title></head><body>{note}</body></html>").encode()
    return decorate(page, port, shown_overlay)
