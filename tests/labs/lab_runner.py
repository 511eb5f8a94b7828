"""A lab run in this process, cell by cell, once; then answers tried on its exercises' checks.

A lab's exercise is a fill-in cell whose last line calls its check (`check_sub(sub)`, or
`model = check_training(train_step)`). The lab runs top to bottom once, with its solutions, and
keeps a copy of its namespace as it stands before each fill-in cell: that is where a learner's
answer runs. An answer runs in the lab's one namespace, put back as it stood there (the lab's
functions read their globals from it, as in a notebook, so a check sees what the answer
redefines, an earlier exercise's function too), then the fill-in cell's call of the check.
"""

import contextlib
import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jupytext

DOCS = Path(__file__).parents[2] / "docs"
CALL = re.compile(r"(?:\w+ = )?(check_\w+)\(.*\)")


@dataclass(frozen=True)
class Wrong:
    """A wrong answer to the exercise that `check` checks: its failure's message must contain `says`."""
    check: str
    code: str
    says: str
    call: str | None = None  # another call of the check than the fill-in cell's (a shorter time limit, say)


@dataclass(frozen=True)
class Right:
    """Another right answer to the exercise that `check` checks: it must pass."""
    check: str
    code: str


class Lab:
    def __init__(self, path, prepare=lambda namespace: None):
        """Run the lab; `prepare(namespace)` runs after each cell (to swap in a faster stand-in, say)."""
        self.path = Path(path)
        self.before = {}  # check's name -> (the namespace before its fill-in cell, the cell's call)
        self.namespace = namespace = {"__name__": "__main__"}
        for cell in jupytext.read(self.path).cells:
            if cell.cell_type != "code":
                continue
            last = cell.source.strip().splitlines()[-1]
            call = CALL.fullmatch(last)
            if call and "solution" not in cell.metadata.get("tags", []):
                self.before[call[1]] = (dict(namespace), last)
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(cell.source, str(self.path), "exec"), namespace)
            prepare(namespace)

    def answer(self, check, code, call=None):
        """Run `code` where the fill-in cell of `check`'s exercise stands, then the cell's call of the
        check (or `call`): the exception that raised, or None."""
        before, last = self.before[check]
        self.namespace.clear()
        self.namespace.update(before)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(textwrap.dedent(code), "<answer>", "exec"), self.namespace)
                exec(compile(call or last, "<call>", "exec"), self.namespace)
        except Exception as error:
            return error
        return None


def one_line(text):
    return " ".join(str(text).split())


def assert_fails_saying(lab, wrong):
    error = lab.answer(wrong.check, wrong.code, wrong.call)
    assert error is not None, f"this wrong answer passes {wrong.check}:\n{textwrap.dedent(wrong.code)}"
    assert isinstance(error, AssertionError), (
        f"{wrong.check} fails on this wrong answer with {type(error).__name__}: {error}, "
        f"not with a message of its own:\n{textwrap.dedent(wrong.code)}")
    assert one_line(wrong.says) in one_line(error), (
        f"{wrong.check} fails on this wrong answer, but its message does not say {wrong.says!r}: "
        f"it says {one_line(error)!r}")


def assert_passes(lab, right):
    error = lab.answer(right.check, right.code)
    assert error is None, f"this right answer fails {right.check}: {type(error).__name__}: {error}"


def ids(answers):
    """Test ids: the check's name and the answer's place among those of the same check."""
    seen = {}
    out = []
    for answer in answers:
        seen[answer.check] = seen.get(answer.check, 0) + 1
        out.append(f"{answer.check}-{seen[answer.check]}")
    return out
