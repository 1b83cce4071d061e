"""Exceptions of the gpubudget package."""

import collections

from . import _lib

__all__ = ["Error", "ScenarioError", "Problem"]

Problem = collections.namedtuple(
    "Problem", "severity status source line column path message")
Problem.__doc__ = """One problem the scenario loader found (gpb_error).

severity  "error" or "warning"
status    the library's status name ("ESCHEMA", "ESYNTAX", ...)
source    the file name, or "<string>"
line, column  1-based; 0 when the problem has no place in the file (a
          value set by an override)
path      the key path ("training[0].mfu"), or ""
message   a sentence saying what was expected and what was found
"""

_STATUS_NAMES = {
    0: "OK", 1: "EINVAL", 2: "ESYNTAX", 3: "ERANGE", 4: "EUNIT",
    5: "ENOTFOUND", 6: "ENOMEM", 7: "EIO", 8: "ESCHEMA", 9: "ENUMERIC",
    10: "ECURRENCY", 11: "ELIMIT", 12: "ECANCELLED", 13: "EUNSUPPORTED",
    14: "ENOTPD"}


def status_name(status):
    """The name of a gpb_status value ("ESCHEMA"), or its number."""
    return _STATUS_NAMES.get(status, str(status))


def problem_from(err, severity="error"):
    """A Problem from a gpb_error record."""
    return Problem(severity, status_name(err.status), _lib.s(err.source),
                   err.line, err.column, _lib.s(err.path),
                   _lib.s(err.message))


def format_problem(p):
    """"source:line:column: path: message", leaving out empty parts, as
    gpb_error_format writes it."""
    where = p.source or ""
    if p.line:
        where += ":%d" % p.line
        if p.column:
            where += ":%d" % p.column
    parts = [x for x in (where, p.path) if x]
    text = ": ".join(parts + [p.message or ""])
    return text if p.severity == "error" else "warning: " + text


class Error(Exception):
    """A library call failed. .status is the status name ("EINVAL"),
    .problem the Problem with the library's message and location."""

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem
        super().__init__(format_problem(problem))

    @classmethod
    def from_error(cls, err):
        return cls(status_name(err.status), problem_from(err))


class ScenarioError(Error, ValueError):
    """A scenario did not load. .problems lists every problem the loader
    found (errors and the warnings found with them), each a Problem with
    source, line, column, key path and message; str() has one line each."""

    def __init__(self, status, problems):
        self.problems = list(problems)
        first = next((p for p in self.problems if p.severity == "error"),
                     self.problems[0] if self.problems else
                     Problem("error", status, "", 0, 0, "", status))
        Error.__init__(self, status, first)
        self.args = ("\n".join(format_problem(p) for p in self.problems)
                     or status,)

    def __str__(self):
        return self.args[0]


def check(status, err):
    """Raises Error for a status other than GPB_OK."""
    if status != _lib.GPB_OK:
        if err.status == 0:
            err.status = status
            err.message = _lib.lib.gpb_status_str(status)
        raise Error.from_error(err)
