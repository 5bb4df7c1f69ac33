"""YAML with line numbers and without YAML 1.1 traps (the only importer of `yaml`)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from sitegen.errors import Problem


class YamlMap(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[Any, int] = {}


class YamlFloat(float):
    """A float that remembers how it was written ("1.500"), for fields that want text."""

    source: str = ""


class YamlList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines: list[int] = []


class YamlSyntaxError(Exception):
    """A YAML file that cannot be read; carries a located, Vietnamese problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _DuplicateKey(yaml.MarkedYAMLError):
    """A key written twice in one mapping (PyYAML would silently keep the last)."""


class _Constructing:
    """How our loaders build values: lines kept, duplicate keys refused, impossible values located."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YamlMap:
        result = YamlMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "unhashable key", key_node.start_mark)
            if key in result.key_lines:
                raise _DuplicateKey(None, None, f"duplicate key:{key}:{result.key_lines[key]}",
                                    key_node.start_mark)
            result.key_lines[key] = key_node.start_mark.line + 1
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Turn a value that cannot be built (2024-02-30, !!float abc) into a located error."""
        try:
            return super().construct_object(node, deep=deep)  # type: ignore[misc]
        except (ValueError, TypeError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(None, None, f"invalid value: {error}",
                                                    node.start_mark) from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> YamlFloat:
        result = YamlFloat(super().construct_yaml_float(node))  # type: ignore[misc]
        result.source = str(node.value)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> YamlList:
        result = YamlList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _Loader(_Constructing, yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: `no`, `0417`, `05` and `12:30` stay strings."""

    yaml_implicit_resolvers: ClassVar[dict] = {}


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
               r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
               r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"),
    list("0123456789"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)

_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, when PyYAML was built with it: ~10× faster
if _FAST is not None:
    class _CLoader(_Constructing, _FAST):  # type: ignore[misc, valid-type]
        """The same loader on libyaml's C parser; errors are re-read with _Loader to word them."""

        yaml_implicit_resolvers: ClassVar[dict] = _Loader.yaml_implicit_resolvers
        yaml_constructors: ClassVar[dict] = dict(_Loader.yaml_constructors)

_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed",
     "dấu hai chấm ':' không đúng chỗ; nếu giá trị có dấu ':' hãy đặt nó trong ngoặc kép"),
    ("could not find expected ':'", "thiếu dấu hai chấm ':' sau tên mục"),
    ("cannot start any token", "có ký tự Tab hoặc ký tự đặc biệt ở đầu giá trị; "
                               "hãy thụt lề bằng dấu cách và đặt giá trị trong ngoặc kép"),
    ("found unexpected end of stream", "thiếu dấu ngoặc kép hoặc ngoặc đóng"),
    ("while scanning a quoted scalar", "thiếu dấu ngoặc kép đóng"),
    ("while parsing a flow", "danh sách hoặc nhóm trong [ ] hoặc { } chưa đóng ngoặc đúng"),
    ("did not find expected key", "thụt lề không thẳng hàng với các mục cùng cấp"),
    ("expected <block end>", "thụt lề không thẳng hàng với các mục cùng cấp"),
    ("did not find expected '-' indicator", "thụt lề của danh sách (dấu '-') không thẳng hàng"),
    ("found undefined alias", "dùng ký tự '*' ở đầu giá trị; hãy đặt giá trị trong ngoặc kép"),
    ("unhashable key", "tên mục phải là chữ, không phải danh sách hay nhóm"),
    ("could not determine a constructor", "có thẻ '!' lạ; hãy đặt giá trị trong ngoặc kép"),
    ("while scanning an anchor", "dùng ký tự '&' ở đầu giá trị; hãy đặt giá trị trong ngoặc kép"),
    ("invalid value", "giá trị không hợp lệ (ngày không có thật, hoặc số viết sai); "
                      "hãy sửa lại hoặc đặt trong ngoặc kép"),
    ("special characters are not allowed", "tệp có ký tự điều khiển lạ; hãy gõ lại dòng này"),
)


def _vietnamese_reason(error: yaml.YAMLError) -> str:
    """Turn PyYAML's English problem text into a Vietnamese hint."""
    problem = getattr(error, "problem", "") or ""
    if isinstance(error, _DuplicateKey):
        _, key, first_line = problem.rsplit(":", 2)
        return f"mục '{key}' bị viết hai lần (lần đầu ở dòng {first_line})"
    context = getattr(error, "context", "") or ""
    for needle, hint in _HINTS:
        if needle in problem or needle in context:
            return f"YAML không hợp lệ: {hint}"
    return "YAML không hợp lệ: kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép"


# "key:value", "key:\u00a0value" (a no-break space pasted from Word) or "key：value" (a full-width colon):
# PyYAML reads the line as a plain text and stumbles on a later one, so the error names the wrong line.
_GLUED_COLON = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)(?::(?=[^\s/])|:(?=[\u00a0\u2007\u202f\u3000])|：)")


def _colon_problem(text: str, line: int | None) -> tuple[int, str] | None:
    """(line, hint) for the nearest line at or before `line` whose key is not followed by a plain space."""
    if line is None:
        return None
    lines = text.split("\n")
    for number in range(min(line, len(lines)), 0, -1):
        match = _GLUED_COLON.match(lines[number - 1])
        if match is None:
            continue
        key, after = match.group(1), lines[number - 1][match.end(1):match.end(1) + 2]
        if after.startswith("："):
            return number, (f"sau '{key}' là dấu hai chấm '：' của bộ gõ khác; hãy gõ lại dấu ':' thường, "
                            f"rồi một dấu cách")
        if after[1:] and after[1] != " " and after[1].isspace():
            return number, (f"sau '{key}:' là một dấu cách đặc biệt (dán từ Word hay trang web); hãy xoá nó "
                            f"rồi gõ lại một dấu cách thường")
        return number, f"thiếu dấu cách sau '{key}:'; hãy viết '{key}: …' (một dấu cách sau dấu hai chấm)"
    return None


# Where a value starts on a line: after "key:" and any "- " of a list item, or after a "- " alone.
_VALUE_START = re.compile(r"""[ \t]*(?:-[ \t]+)*(?:(?:[^\s"'#\[\]{}][^#]*?|"[^"\n]*"|'[^'\n]*'):[ \t]+)?(?=["'])""")
_QUOTE_NAMES = {'"': "dấu ngoặc kép", "'": "dấu nháy đơn"}
_MAX_QUOTE_TRIES = 5  # lines tried as the unclosed one: an error is re-read at most this many times


def _quoted_value(line: str) -> tuple[str, int | None] | None:
    """(quote, index just after its closing quote or None when unclosed) for a value written in quotes."""
    match = _VALUE_START.match(line)
    if match is None:
        return None
    start = match.end()
    quote = line[start]
    index = start + 1
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and line[index + 1:index + 2] == "'":  # '' is a quote inside '…'
                index += 2
                continue
            return quote, index + 1
        index += 1
    return quote, None


def _quote_problem(padded: str, error_line: int | None) -> tuple[int, str] | None:
    """(line, reason) when a quote is the cause: one left open, or one inside a value closing it early.

    PyYAML reads a quoted value on into the next lines and complains there; the line whose quote is
    left open is found by closing it and reading again: the mistake is that line when the text then
    reads, or fails only further down.
    """
    lines = padded.split("\n")
    last = min(error_line or len(lines), len(lines))
    tried = 0
    for number in range(1, last + 1):
        found = _quoted_value(lines[number - 1])
        if found is None or found[1] is not None:
            continue
        quote = found[0]
        fixed = "\n".join([*lines[:number - 1], lines[number - 1].rstrip() + quote, *lines[number:]])
        if _reads_past(fixed, error_line):
            return number, (f"thiếu {_QUOTE_NAMES[quote]} đóng ở cuối dòng này (giá trị mở bằng {quote} phải "
                            f"đóng bằng {quote} trên cùng dòng)")
        tried += 1
        if tried >= _MAX_QUOTE_TRIES:
            break
    if error_line is not None and error_line <= len(lines):
        found = _quoted_value(lines[error_line - 1])
        if found is not None and found[1] is not None:
            rest = lines[error_line - 1][found[1]:].strip()
            if rest and not rest.startswith("#"):
                quote = found[0]
                fix = ("bên trong hãy dùng ngoặc kép cong “…”, hoặc đặt cả giá trị trong dấu nháy đơn '…'"
                       if quote == '"' else "bên trong hãy viết hai dấu nháy liền nhau (''), hoặc đặt cả giá trị "
                                            'trong ngoặc kép "…"')
                return error_line, (f"giá trị mở bằng {_QUOTE_NAMES[quote]} ({quote}) bị đóng sớm vì bên trong "
                                    f"cũng có dấu {quote}; {fix}")
    return None


def _reads_past(text: str, error_line: int | None) -> bool:
    """Whether `text` reads as YAML, or fails only after `error_line`."""
    try:
        yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        return mark is not None and error_line is not None and mark.line + 1 > error_line
    except RecursionError:
        return False
    return True


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text; lines in the result and in errors count from `first_line`."""
    # Blank lines in front keep every mark (and so every line we record) true to the file.
    padded = "\n" * (first_line - 1) + text
    if _FAST is not None:
        try:
            return _checked_text(yaml.load(padded, Loader=_CLoader), padded, path)
        except (yaml.YAMLError, RecursionError, ValueError):
            pass  # read again below: the pure-Python parser words the problem the way the hints expect
    try:
        return _checked_text(yaml.load(padded, Loader=_Loader), padded, path)
    except ValueError:  # an escape such as "\U0011FFFF" names no character
        line = _escape_line(padded, _ESCAPE)
        if line is None:
            raise
        raise YamlSyntaxError(Problem(path, line, "YAML không hợp lệ: có mã ký tự (dấu \\ rồi chữ số) không ứng "
                                                  "với chữ nào; hãy gõ hoặc dán chính chữ đó thay cho mã")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        syntax = isinstance(error, (yaml.scanner.ScannerError, yaml.parser.ParserError))
        quoted = _quote_problem(padded, line) if syntax else None  # not for values that cannot be built
        quoted = quoted or (_colon_problem(padded, line) if syntax else None)
        if quoted is not None:
            raise YamlSyntaxError(Problem(path, quoted[0], f"YAML không hợp lệ: {quoted[1]}")) from None
        raise YamlSyntaxError(Problem(path, line, _vietnamese_reason(error))) from None
    except RecursionError:
        raise YamlSyntaxError(Problem(path, first_line, "YAML lồng nhau quá sâu")) from None


_ESCAPE = re.compile(r"\\(?:U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")
_HALF_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})")


def _escape_line(text: str, pattern: re.Pattern[str]) -> int | None:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _checked_text(data: Any, text: str, path: str) -> Any:
    """Refuse half characters ("\\ud800", a lone surrogate) that an escape made: no file can hold them."""
    if _HALF_ESCAPE.search(text) and _has_surrogate(data):
        raise YamlSyntaxError(Problem(path, _escape_line(text, _HALF_ESCAPE), "YAML không hợp lệ: mã ký tự \\u… "
                                      "này chỉ là nửa của một ký tự (thường là biểu tượng cảm xúc); hãy dán chính "
                                      "ký tự đó thay cho mã"))
    return data


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_surrogate(item) for item in value)
    return False


def line_of(container: Any, key: Any, default: int | None = None) -> int | None:
    """The line of a key in a YamlMap (or an index in a YamlList), else `default`."""
    if isinstance(container, YamlMap):
        return container.key_lines.get(key, container.line or default)
    if isinstance(container, YamlList) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return default
