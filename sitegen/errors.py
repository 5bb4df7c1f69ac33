"""Problems that know where they come from (file and line), and the failure that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One error or warning for staff: project-relative path, 1-based line, Vietnamese message."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class BuildFailed(Exception):  # noqa: N818 - it is the outcome, not a bug
    """Raised when a stage found errors; carries all of them, in the order found."""

    def __init__(self, errors: list[Problem] | tuple[Problem, ...],
                 warnings: list[Problem] | tuple[Problem, ...] = ()) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = tuple(errors)
        self.warnings = tuple(warnings)


@dataclass
class Diagnostics:
    """Collects the errors and warnings of one build so they are shown together."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str) -> None:
        """Record an error; the build will stop at the end of the current stage."""
        self.errors.append(Problem(path, line, message))

    def warn(self, path: str, line: int | None, message: str) -> None:
        """Record a warning; the build goes on."""
        self.warnings.append(Problem(path, line, message))

    def stop_if_failed(self) -> None:
        """End the build, reporting every error so far, if there is any."""
        if self.errors:
            raise BuildFailed(self.errors)
