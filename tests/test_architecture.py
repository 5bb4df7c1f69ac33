"""The code's shape: imports flow one way, each library has one home, modules say what they own."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"

# A module may import only modules listed before it.
LAYERS = ["errors", "text", "digest", "workers", "memory", "lock", "yamlsource", "records_model", "publish_model",
          "model", "fields", "sources", "kinds", "records_config", "publish_config", "config", "content", "routes",
          "images", "urls", "links", "terms", "pasted_lists", "markup", "listings", "records", "charts", "search",
          "feeds", "assets", "views", "audit", "render", "output", "build_report", "state", "stages", "pipeline",
          "check", "post_writer", "new_post", "docx_reader", "wordimport", "sftp", "publish", "watch",
          "preview_page", "serve", "progress_line", "console", "cli"]
THIRD_PARTY_HOME = {"yaml": "yamlsource", "markdown": "markup", "nh3": "markup", "jinja2": "render", "PIL": "images",
                    "livereload": "serve", "tornado": "serve", "mammoth": "docx_reader", "docx": "docx_reader",
                    "paramiko": "sftp"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_is_in_a_layer() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert modules <= set(LAYERS), modules - set(LAYERS)


def test_modules_import_only_earlier_layers() -> None:
    wrong = []
    for module in LAYERS:
        path = PACKAGE / f"{module}.py"
        if not path.exists():
            continue
        for name in _imports(path):
            if name.startswith("sitegen."):
                imported = name.split(".")[1]
                if LAYERS.index(imported) >= LAYERS.index(module):
                    wrong.append(f"{module} imports {imported}")
    assert not wrong, wrong


def test_each_library_is_imported_in_one_module() -> None:
    wrong = []
    for path in PACKAGE.glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in THIRD_PARTY_HOME and THIRD_PARTY_HOME[top] != path.stem:
                wrong.append(f"{path.stem} imports {top}")
    assert not wrong, wrong


def test_every_module_has_a_one_line_docstring() -> None:
    for path in [*PACKAGE.glob("*.py"), PACKAGE.parent / "build.py"]:
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and "\n" not in docstring.strip(), path.name
