"""Command-line entry point: `python build.py [build|--help]` (see README.md)."""

import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(default_root=Path(__file__).resolve().parent))
