"""The build state kept between builds in .cache/: what each input was and gave, checked before any use."""

# The state is a summary (what a build with nothing to do needs, and the list of the other parts)
# and parts: the posts, bodies and search words in sixteen shards each, the outputs, the rest. Each
# file is written whole under a temporary name and then renamed; a part's name holds the digest of
# its bytes, and the summary, written last, names the parts it goes with. So a build stopped while
# saving leaves the previous state or none, and a rebuild after one edit writes only the few parts
# that changed (not 50 MB). Every file starts with a header (format, a digest of the generator's own
# code and libraries, the length, the digest of what follows and its CRC); anything that does not match
# (another version of the generator, a cut or corrupted file, a file that is not ours) is thrown
# away and the build starts from nothing. Nothing in it is trusted beyond what its checks prove:
# each cached result is reused only while the inputs it was made from are the same.

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import BuildFailed, Problem

if TYPE_CHECKING:  # the state's parts, named for the reader; unpickling imports them when it needs them
    from sitegen.content import ReadPost
    from sitegen.images import ResponsiveImage
    from sitegen.listings import Links
    from sitegen.markup import PageMarkup
    from sitegen.output import OutputStamp
    from sitegen.render import TemplateFacts
    from sitegen.search import DocumentParts

CACHE_FOLDER = ".cache"  # the build state and the resized photos
SUMMARY_FILE = ".cache/build-summary.pickle"  # of the state named "build" (output/'s); others are "<name>-…"
PARTS_FOLDER = ".cache/build-state"  # the other parts, named "<part>.<digest>.pickle"
_OLD_STATE_FILE = ".cache/build-state.pickle"  # before the state was split in parts: removed when seen
# What a build with nothing to do reads (the rest is read only when there is work):
# (Only values of light modules: unpickling a template's facts would import Jinja before it is needed.)
_SUMMARY = ("inputs", "due", "warnings", "files", "post_files", "held_back", "files_written", "pages_written",
            "output_stamp", "output_marker")
_COMPILED_PREFIX = "templates-"  # + the generator's digest: Jinja's compiled templates
_MAGIC = b"SITEGEN-STATE\n"
_FORMAT = 3
_SHARDS = 16
_SHARDED = ("posts", "markup", "outputs", "search")  # dictionaries split in shards by key
_WHOLE = ("images", "links", "templates")
_LIBRARIES = ("Jinja2", "Markdown", "nh3", "Pillow", "PyYAML", "MarkupSafe")


@dataclass(frozen=True)
class FileDigest:
    """A file's identity: its size and time, and the digest of its bytes when they were last read."""

    size: int
    mtime_ns: int
    digest: str
    ctime_ns: int = 0  # posts: the change time too (a copy put back with its old time still changes it)


@dataclass(frozen=True)
class MarkupEntry:
    """A rendered body, reusable while its key matches and every link look-up answers the same."""

    key: str
    markup: PageMarkup


@dataclass(frozen=True)
class OutputEntry:
    """What one output was drawn from: its key, and what its templates read besides its view."""

    key: str
    reads: tuple[tuple[str, tuple[object, ...]], ...] = ()
    images: tuple[str, ...] = ()


@dataclass
class BuildState:
    """Everything a build remembers for the next; a fresh one is empty."""

    inputs: str = ""  # digest of every input of the last good build: equal means nothing to do
    due: datetime | None = None  # when a scheduled post becomes public (the site changes then)
    posts: dict[str, ReadPost] = field(default_factory=dict)
    markup: dict[str, MarkupEntry] = field(default_factory=dict)
    outputs: dict[str, OutputEntry] = field(default_factory=dict)
    files: dict[str, FileDigest] = field(default_factory=dict)  # attachments and photos under content/
    post_files: dict[str, FileDigest] = field(default_factory=dict)  # the posts' files: read again when changed
    images: dict[tuple[str, str, tuple[float, float] | None], ResponsiveImage | str] = field(default_factory=dict)
    templates: tuple[str, TemplateFacts] | None = None
    search: dict[str, tuple[DocumentParts, str]] = field(default_factory=dict)  # path → parts, source (its
    # words are those of the source's body, in `markup`)
    links: tuple[str, Links] | None = None  # neighbours and related posts, with the shape they came from
    warnings: tuple[Problem, ...] = ()  # the last good build's warnings (a build with nothing to do repeats them)
    held_back: tuple[tuple[str, str], ...] = ()  # drafts and scheduled posts of the last build, with why
    files_written: int = 0
    pages_written: int = 0
    output_stamp: OutputStamp | None = None  # output/ as the last build left it (a look there is quicker)
    output_marker: str = ""  # the digest of the marker it wrote: the outputs and search words describe that folder
    parts: dict[str, str] = field(default_factory=dict)  # part → digest of its file, as loaded or saved


def generator_digest() -> str:
    """A digest of the generator's own code and the libraries that shape its output."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{_FORMAT} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    for name, version in sorted(_library_versions().items()):
        hasher.update(f"{name}={version}".encode())
    return hasher.hexdigest()


def _library_versions() -> dict[str, str]:
    """The installed versions of _LIBRARIES, read off the names of their metadata folders ("jinja2-3.1.6.dist-info").

    (importlib.metadata would tell the same, at ten times the cost of a build with nothing to do: it imports
    the e-mail package to read the metadata files.) A library installed otherwise is asked of it after all.
    """
    wanted = {_normalised(name): name for name in _LIBRARIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        with contextlib.suppress(OSError):
            for entry in os.listdir(folder or "."):
                stem, _, kind = entry.rpartition(".")
                name, dash, version = stem.partition("-")
                if kind == "dist-info" and dash and _normalised(name) in wanted:
                    found.setdefault(wanted[_normalised(name)], version)
    for name in set(_LIBRARIES) - set(found):
        import importlib.metadata

        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[name] = importlib.metadata.version(name)
    return found


def _normalised(name: str) -> str:
    """A distribution's name as metadata folders spell it, whatever its case and separators (PEP 503)."""
    return name.lower().replace("-", "_").replace(".", "_")


def compiled_templates_folder(root: Path, code: str) -> Path:
    """Where this version of the generator keeps compiled templates (other versions' folders are removed)."""
    folder = root / CACHE_FOLDER / f"{_COMPILED_PREFIX}{code[:16]}"
    with contextlib.suppress(OSError):
        for other in (root / CACHE_FOLDER).glob(f"{_COMPILED_PREFIX}*"):
            if other != folder and other.is_dir() and not other.is_symlink():
                for item in other.iterdir():
                    item.unlink()
                other.rmdir()
    return folder


def check_cache_folder(root: Path) -> None:
    """Refuse to start when a file stands where the cache folder goes (nothing could be kept)."""
    if (root / CACHE_FOLDER).exists() and not (root / CACHE_FOLDER).is_dir():
        raise BuildFailed([Problem(CACHE_FOLDER, None, f"'{CACHE_FOLDER}' phải là thư mục (nơi giữ ảnh đã thu nhỏ "
                                                       "và kết quả lần dựng trước) nhưng đang là một tệp; hãy đổi "
                                                       "tên hoặc chuyển tệp đó đi, rồi chạy lại")])


def load_state(root: Path, code: str, details: bool = True, name: str = "build") -> BuildState | None:
    """The state the last build left under `name`, or None when there is none we can trust.

    Without `details` only the small summary is read (what a build with nothing to do needs).
    """
    summary = _read(_summary_file(root, name), code)
    if not isinstance(summary, dict) or not isinstance(summary.get("parts"), dict):
        return None
    known = {k: summary[k] for k in _SUMMARY}
    if not details:
        return BuildState(**known)
    values: dict[str, object] = {kind: {} for kind in _SHARDED}
    for part, digest in summary["parts"].items():
        value = _read(_part_file(root, name, part, digest), code, digest)
        kind = part.split("-", 1)[0]
        if kind in _SHARDED and isinstance(value, dict):
            values[kind].update(value)  # type: ignore[attr-defined]
        elif kind in _WHOLE and value is not None:
            values[kind] = value
        else:
            return None
    return BuildState(**known, **values, parts=dict(summary["parts"]))  # type: ignore[arg-type]


def save_state(root: Path, code: str, state: BuildState, previous: BuildState | None = None,
               name: str = "build") -> None:
    """Write the state for the next build under `name` (whole or not at all); a failure only costs the next
    build time. Each name is one folder's: "build" for output/, "preview" for serve's.

    The parts equal to those of `previous` (the state this build started from) are not written again.
    """
    parts: dict[str, str] = {}
    for part, value, before in _parts(state, previous or BuildState()):
        digest = (previous.parts.get(part) if previous is not None and value == before else None) or \
            _write_part(root, name, code, part, value)
        if digest is None:
            return
        parts[part] = digest
    with contextlib.suppress(OSError):  # summaries a killed build was writing (its parts are swept below)
        for cut in (root / CACHE_FOLDER).glob(_summary_file(root, name).name + ".*.part"):
            cut.unlink()
    if _write(_summary_file(root, name), code, {**{k: getattr(state, k) for k in _SUMMARY}, "parts": parts}) is None:
        return
    state.parts = parts
    with contextlib.suppress(OSError):
        (root / _OLD_STATE_FILE).unlink(missing_ok=True)  # the one-file state of older versions (50 MB)
    listed = {_part_file(root, name, part, digest).name for part, digest in parts.items()}
    with contextlib.suppress(OSError):
        for old in _part_file(root, name, "", "").parent.iterdir():
            if old.name not in listed:
                old.unlink()


def _parts(state: BuildState, previous: BuildState) -> Iterator[tuple[str, object, object]]:
    """Each part of the state to save, with the same part of `previous` (for the equal ones)."""
    sharded = (("posts", state.posts, previous.posts), ("markup", state.markup, previous.markup),
               ("outputs", state.outputs, previous.outputs), ("search", state.search, previous.search))
    for name, values, before in sharded:
        shards: list[dict] = [{} for _ in range(_SHARDS)]
        for key, value in values.items():
            shards[_shard(key)][key] = value
        old: list[dict] = [{} for _ in range(_SHARDS)]
        for key, value in before.items():
            old[_shard(key)][key] = value
        for number in range(_SHARDS):
            yield f"{name}-{number:02d}", shards[number], old[number]
    for name in _WHOLE:
        yield name, getattr(state, name), getattr(previous, name)


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % _SHARDS


def _summary_file(root: Path, name: str) -> Path:
    return root / CACHE_FOLDER / f"{name}-summary.pickle"


def _part_file(root: Path, name: str, part: str, digest: str) -> Path:
    return root / CACHE_FOLDER / f"{name}-state" / f"{part}.{digest[:32]}.pickle"


def _write_part(root: Path, name: str, code: str, part: str, value: object) -> str | None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.blake2b(payload, digest_size=32).hexdigest()
    return _write(_part_file(root, name, part, digest), code, value, payload, digest)


def _read(path: Path, code: str, expected: str | None = None) -> object:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, payload = data.partition(b"\n\n")
    try:
        magic, form, written_code, length, digest, check = header.split(b"\n")
        # The digest names the content (the summary lists it); the CRC, four times faster to check than
        # the digest, catches a cut or damaged payload.
        if (magic + b"\n" != _MAGIC or int(form) != _FORMAT or written_code.decode() != code
                or int(length) != len(payload) or int(check) != zlib.crc32(payload)
                or (expected is not None and digest.decode() != expected)):
            return None
        return pickle.loads(payload)  # our own file, checked above; see the module comment
    except (ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, IndexError):
        return None


def _write(target: Path, code: str, value: object, payload: bytes | None = None, digest: str = "") -> str | None:
    """Write one file of the state whole or not at all; the digest of its payload, or None on failure."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if payload is None else payload
    digest = digest or hashlib.blake2b(payload, digest_size=32).hexdigest()
    header = b"\n".join([_MAGIC.rstrip(b"\n"), str(_FORMAT).encode(), code.encode(), str(len(payload)).encode(),
                         digest.encode(), str(zlib.crc32(payload)).encode()])
    temporary = target.with_name(target.name + f".{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(header + b"\n\n" + payload)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return None
    return digest
