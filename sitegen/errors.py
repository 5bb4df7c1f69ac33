"""Problems that know where they come from (file and line), and the failure that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One error or warning for staff: project-relative path, 1-based line, Vietnamese message."""

    path: str
    line: int | None
    message: str
    warning: bool = False  # the build goes on; listed under "Cảnh báo"

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
    """Collects the problems of one reading (a file, the settings) until its stage returns them."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str) -> None:
        """Record an error; the build will stop at the end of the current stage."""
        self._record(Problem(path, line, message))

    def warn(self, path: str, line: int | None, message: str) -> None:
        """Record a warning; the build goes on."""
        self._record(Problem(path, line, message, warning=True))

    def add(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        """Record problems a stage returned, each as an error or a warning as it says."""
        for problem in problems:
            self._record(problem)

    def _record(self, problem: Problem) -> None:
        """Each distinct problem once (twelve pages of one template share one mistake)."""
        kept = self.warnings if problem.warning else self.errors
        if problem not in kept:
            kept.append(problem)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Everything recorded, errors first."""
        return (*self.errors, *self.warnings)

    def stop_if_failed(self) -> None:
        """End the build, reporting every error so far, if there is any."""
        if self.errors:
            raise BuildFailed(self.errors)
