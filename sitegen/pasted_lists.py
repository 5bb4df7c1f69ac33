"""Lists pasted from Word (•, –, 1), a) lines) turned into Markdown lists before a body is rendered."""

# Text copied out of Word keeps its bullets as characters ("• Thăm hỏi", "\uf0b7 Tặng quà", "–Vận
# động") and its numbers as typed ("1) …", "a) …"), one paragraph per line, straight after the
# paragraph that introduces them. Python-Markdown reads all of that as one paragraph run together.
# `tidy_lists` rewrites only such lines: a bullet becomes "- ", "1)" becomes "1.", a blank line goes
# in front of a list that follows a paragraph line (as CommonMark, a list may start right under a
# paragraph: "- " or "1." there starts one too) and after a pasted list followed by an ordinary line.
# Letters ("a)", "b)", "i)"), which Markdown has no list for, are kept as typed, each on its own line,
# with a warning. Fenced and indented code, tables and raw HTML blocks are left as they are. Every
# warning names the line in the text as written; the text returned may have more lines (the blank
# ones), which is harmless because nothing reads lines from it: links are located in the original.

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.errors import Problem

# Bullets typed or pasted: Word's own (•, ▪, ○…), Symbol and Wingdings ones (private-use U+F0xx).
BULLETS = "•●▪■◦○·‣⁃∙◆◇►▸➢✓✔❖\uf0a7\uf0b7\uf0d8\uf076\uf0fc"
_SECOND_LEVEL = "○◦▪o\uf0a7"  # Word's usual bullets for a list inside a list
_DASHES = "–"  # an en dash starting a line is a list item in Vietnamese administrative writing
# Word's second-level bullet pasted as text is a letter o and a Tab.
_PASTED = re.compile(rf"^([ \t]*)(?:([{BULLETS}]|o(?=\t))[ \t]*|([{_DASHES}])[ \t]+|([{_DASHES}-])(?=[^\W\d_]))"
                     r"(?=\S)(.*)$")
_MARKDOWN_ITEM = re.compile(r"^( {0,3})(?:[-*+][ \t]+|(\d{1,9})[.)][ \t]+)(?=\S)")
_TYPED_NUMBER = re.compile(r"^( {0,3})(\d{1,2})\)[ \t]+(?=\S)(.*)$")
_LETTER = re.compile(r"^ {0,3}((?:[a-zA-ZđĐ]|[ivxIVX]{2,4})\))[ \t]+(?=\S)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_HTML_START = re.compile(r"^ {0,3}<(?:!--|(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A cheap look before the line-by-line pass: a pasted marker or a typed "1)" or "a)" at a line start, or
# a list marker right under a line that is not itself a list item. Most posts have none and are returned
# as they are.
_PASTED_START = re.compile(
    rf"^[ \t]*(?:[{BULLETS}]|o\t|[{_DASHES}]|-[^\W\d_]|\d{{1,2}}\)|(?:[a-zA-ZđĐ]|[ivxIVX]{{2,4}})\))", re.MULTILINE)
_LIST_UNDER = re.compile(r"\n {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")


@dataclass
class _Reading:
    """Where the pass is: the kind of block the last line belongs to, and what the list so far is."""

    block: str = ""  # "", "para", "list", "code", "table", "html"
    pasted: bool = False  # the list was made from pasted markers (its lines are Word paragraphs)
    list_open: bool = False  # a list was the last block: indented lines after a blank line continue it
    top_indent: int = 0  # where the pasted list's first-level bullets stand
    top_bullet: str = ""
    fence: str = ""  # the opening fence while inside fenced code
    html_tag: str = ""  # the raw HTML element being read, until it closes
    html_depth: int = 0
    after_letter: bool = False  # the last line was an "a)" line
    run_start: int = -1  # line (as written) of the first "a)" line of the run
    run_length: int = 0
    first_marker: str = ""
    code_warned: bool = False  # the indented code block got its warning


def tidy_lists(body: str, source: str, first_line: int) -> tuple[str, tuple[Problem, ...]]:
    """The body with pasted bullets and typed numbers as Markdown lists, and warnings at file lines.

    `first_line` is the file line where the body starts; the same body always gives the same result.
    """
    if not _worth_a_look(body):
        return body, ()
    lines = body.split("\n")
    out: list[str] = []
    notes: list[Problem] = []
    state = _Reading()
    for index, line in enumerate(lines):
        note = _tidy_line(index, line, lines, out, state)
        if note:
            notes.append(Problem(source, first_line + note[0], note[1], warning=True))
    return "\n".join(out), tuple(notes)


def _worth_a_look(body: str) -> bool:
    """Whether any line may need rewriting (a quick look: the pass itself decides)."""
    if _PASTED_START.search(body):
        return True
    for marker in _LIST_UNDER.finditer(body):
        end = marker.start()
        previous = body[body.rfind("\n", 0, end) + 1:end]
        if previous.strip() and not _MARKDOWN_ITEM.match(previous):
            return True
    return False


def _tidy_line(index: int, line: str, lines: list[str], out: list[str], state: _Reading) -> tuple[int, str] | None:
    """Append the line (rewritten if it is a pasted list item) to `out`; a warning (line index, text) or None."""
    if state.fence:
        stripped = line.strip()
        if stripped.startswith(state.fence) and not stripped.strip(state.fence[0]):
            state.fence = ""
        out.append(line)
        return None
    if state.block == "html":
        if not line.strip() and state.html_depth <= 0:
            state.block = ""
        else:
            _follow_html(line, state)
        out.append(line)
        return None
    if fence := _FENCE.match(line):
        state.fence, state.block, state.list_open = fence.group(1), "", False
        _end_letters(state)
        out.append(line)
        return None
    if not line.strip():
        _end_letters(state)
        state.list_open = state.block == "list" or (state.list_open and state.block == "")
        state.block, state.code_warned = "", False
        out.append(line)
        return None
    if state.block in ("code", "table") or (state.block == "" and _starts_other_block(index, line, lines, state)):
        _end_letters(state)
        out.append(line)
        if state.block == "code" and not state.code_warned and (pasted := _PASTED.match(line)):
            state.code_warned = True  # once for the block: the lines after it are the same mistake
            bullet = pasted.group(2) or pasted.group(3) or pasted.group(4)
            return index, (f"dòng bắt đầu bằng '{bullet}' bị thụt lề từ 4 dấu cách (hoặc một Tab) trở lên nên hiện "
                           "thành khối mã (chữ đơn cách trong khung), không thành danh sách; hãy bỏ khoảng trống ở "
                           "đầu dòng")
        return None
    if _HEADING.match(line) or _RULE.match(line):
        _end_letters(state)
        state.block, state.list_open, state.pasted = "", False, False
        out.append(line)
        return None
    if letter := _LETTER.match(line):
        return _letter_line(index, line, letter.group(1), out, state)
    converted = _as_list_item(line, state)
    if converted is not None:
        _end_letters(state)
        if state.block == "para":
            out.append("")  # Python-Markdown starts a list only after a blank line
        state.block = "list"
        out.append(converted)
        return None
    if state.after_letter:
        out[-1] = out[-1].rstrip() + "  "  # a hard line break: the line after "b) …" starts its own line
    _end_letters(state)
    if state.block == "list" and state.pasted and _indent(line) == 0:
        out.append("")  # a Word paragraph after a pasted list is a paragraph, not part of its last item
        state.block, state.pasted = "para", False
    elif state.block == "":
        state.block = "list" if state.list_open and _indent(line) >= 4 else "para"
        state.pasted = state.pasted and state.block == "list"
    out.append(line)
    return None


def _starts_other_block(index: int, line: str, lines: list[str], state: _Reading) -> bool:
    """Whether a line after a blank one opens indented code, a table or raw HTML (then it is left alone)."""
    if _indent(line) >= 4 and not state.list_open:
        state.block = "code"
        return True
    if html := _HTML_START.match(line):
        tag = (html.group(2) or "!--").lower()
        state.block, state.html_tag, state.html_depth = "html", "" if html.group(1) or tag in _VOID else tag, 0
        _follow_html(line, state)
        return True
    if "|" in line and index + 1 < len(lines) and "-" in lines[index + 1] and _TABLE_RULE.match(lines[index + 1]) \
            and ("|" in lines[index + 1] or line.strip().startswith("|")):
        state.block = "table"
        return True
    return False


def _follow_html(line: str, state: _Reading) -> None:
    """Count the raw HTML element's opening and closing tags: the block ends at a blank line after it closes."""
    tag = state.html_tag
    if not tag:
        return
    if tag == "!--":
        state.html_depth = 0 if "-->" in line else 1
    else:
        lowered = line.lower()
        state.html_depth += len(re.findall(rf"<{re.escape(tag)}(?=[\s/>]|$)", lowered)) - lowered.count(f"</{tag}")
    if state.html_depth <= 0:
        state.html_tag, state.html_depth = "", 0


def _as_list_item(line: str, state: _Reading) -> str | None:
    """The line as a Markdown list item when it is one (pasted or typed), else None."""
    in_list = state.block == "list" or (state.block == "" and state.list_open)
    if pasted := _PASTED.match(line):
        indent = _indent(pasted.group(1))
        bullet = pasted.group(2) or pasted.group(3) or pasted.group(4)
        if not (in_list and state.pasted and state.top_bullet):
            state.pasted, state.top_indent, state.top_bullet = True, indent, bullet
            return f"- {pasted.group(5)}"
        nested = indent > state.top_indent + 1 or (bullet != state.top_bullet and bullet in _SECOND_LEVEL)
        return f"{'    ' if nested else ''}- {pasted.group(5)}"
    if typed := _TYPED_NUMBER.match(line):
        if state.block == "para" and typed.group(2) != "1":
            return None  # "3)" inside a paragraph is text; only "1)" starts a list there
        if not in_list:
            state.pasted, state.top_indent, state.top_bullet = True, 0, ""
        return f"{typed.group(1)}{typed.group(2)}. {typed.group(3)}"
    if item := _MARKDOWN_ITEM.match(line):
        if state.block == "para" and item.group(2) not in (None, "1"):
            return None  # as CommonMark: a numbered list interrupts a paragraph only when it starts at 1
        if not in_list:
            state.pasted, state.top_bullet = False, ""
        return line
    return None


def _letter_line(index: int, line: str, marker: str, out: list[str], state: _Reading) -> tuple[int, str] | None:
    """An "a)" line: kept as typed, on a line of its own; a warning at the first of a run of two or more."""
    if state.block in ("para", "list") and out and out[-1].strip():
        out[-1] = out[-1].rstrip() + "  "  # a hard line break: the letter starts its own line
    if state.block == "":
        state.block = "para"
    out.append(line)
    if not state.after_letter:
        state.run_start, state.run_length, state.first_marker = index, 0, marker
    state.after_letter = True
    state.run_length += 1
    if state.run_length != 2:
        return None
    return state.run_start, (
        f"dòng bắt đầu bằng '{state.first_marker}' được đánh số tay; trang giữ nguyên chữ đánh số và cho mỗi mục "
        "một dòng, nhưng không thành danh sách. Muốn danh sách tự đánh số, hãy viết '1.', '2.'… ở đầu dòng; nếu "
        "là các điểm a), b) của văn bản thì cứ để nguyên")


def _end_letters(state: _Reading) -> None:
    state.after_letter, state.run_start, state.run_length = False, -1, 0


def _indent(text: str) -> int:
    """Columns of leading whitespace, a Tab counting to the next multiple of 4."""
    column = 0
    for char in text:
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            break
    return column
