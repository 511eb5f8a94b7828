"""Read a Markdown page: its front matter, and its Python snippets with their options, expected output and file:line.

A snippet is a ```python (or ~~~python) fence. Its options follow the language
in the info string (the table OPTIONS lists them); its expected output is an
```output fence right after it (only blank lines between). Fences may be
indented, as they are inside `???` and `!!!` blocks: the code is dedented to
run and the indent is kept to render. The front matter is YAML. Parsing never
changes the page; it only says where things are (and lessonkit/plan.py says
where each snippet runs).

A snippet with `in-page="steps = 150"` runs fewer steps in the page than in
the build: its code must have exactly one top-level line that assigns that name
(`steps = 600`), on one line, and the page's editor starts with that line
replaced (`steps = 150  # the build ran steps = 600`; Snippet.page_code).
The build, pytest and the notebook run the code as written, so the option
changes no cache key and no storage key. A snippet whose code has no such
line, or more than one, is an error naming the page and line; so is the
option on a snippet that the learner does not run with Run (`norun`, `hidden`,
`build-only=`, an exercise's part).

A snippet without `timeout=` gets the course's default time limit, which the
adapters read from the lessonkit plugin's settings in mkdocs.yml (`timeout:`,
10 s unless set) and pass to parse_page: the build, pytest and the command line
give a snippet the same limit, and so the same cache key.

Nothing that looks checked goes unchecked: an output fence that follows no
snippet, or one that does not run, is an error, and so is a fence that would
silently not be a snippet (`python3`, `Python`, or an indent with a tab).
"""

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import yaml

from lessonkit import plan
from lessonkit.course import DEFAULT_TIMEOUT, Course

SNIPPET_LANGUAGES = ("python", "py")
OUTPUT_LANGUAGE = "output"
DEFAULT_MAX_OUTPUT = 1_000_000  # bytes a snippet may print
# Highlighting attributes that pymdownx.superfences understands; they stay on the rendered fence.
HIGHLIGHT_KEYS = ("title", "linenums", "hl_lines")

FENCE_OPEN = re.compile(r"(?P<indent>[ \t]*)(?P<marker>`{3,}|~{3,})(?P<info>.*)")
PYTHON_LOOKALIKE = re.compile(r"(?i)(i?python|py)3?")  # languages that are Python, but not written as a snippet
INFO_TOKEN = re.compile(r"""[^\s=]+=(?:"[^"]*"|'[^']*'|[^\s"']*)|\S+""")
DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
IDENTIFIER = re.compile(r"[A-Za-z][\w-]*")
FRONT_MATTER_END = ("---", "...")


class ParseError(ValueError):
    """A page that cannot be parsed, with the file:line to fix."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class Fence:
    """A fenced block: its line span in the page, its info string and its dedented body."""

    start: int  # index of the opening line in the page's lines (0-based)
    end: int  # index of the closing line
    indent: str  # spaces before the opening fence
    marker: str  # the run of ``` or ~~~ that opens it
    info: str  # the info string, stripped
    body: str  # the content, dedented by `indent`


@dataclass(frozen=True)
class ExerciseRole:
    """A snippet's part in an exercise: `exercise="ID"` marks its starter, `check="ID"` its checks,
    `solution="ID"` its reference solution, `wrong="ID"` a wrong answer that must fail the checks (saying
    its `says=` text) and `right="ID"` another right answer that must pass them."""

    id: str
    role: str  # "starter", "check", "solution", "wrong" or "right"


@dataclass(frozen=True)
class Options:
    """What an author asked of a snippet in its info string."""

    norun: bool = False  # shown, not run
    hidden: bool = False  # run, not shown
    raises: str | None = None  # must raise this exception
    timeout: float = DEFAULT_TIMEOUT  # seconds it may take: its timeout=, else the course's default
    build_only: str | None = None  # runs in the build, not in the page: the reason why
    exercise: ExerciseRole | None = None
    assembled: bool = False  # a starter that, in the browser, starts as the learner's earlier exercises, joined
    says: str | None = None  # a wrong answer's: text that the message of its failure must contain
    in_page: str | None = None  # the assignment the page runs instead of the build's one line: "steps = 150"
    shown_info: str = "python"  # the info string to render: the options taken out


def flag(value):
    if value is not None:
        raise ValueError("takes no value")
    return True


def exception_name(value):
    if not DOTTED_NAME.fullmatch(value or ""):
        raise ValueError(f"needs an exception name such as raises=ValueError, got {value!r}")
    return value


def seconds(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0
    if not number > 0:
        raise ValueError(f"needs a positive number of seconds, got {value!r}")
    return number


def reason(value):
    if not (value or "").strip():
        raise ValueError('needs a reason, such as build-only="plots with matplotlib"')
    return value


def assignment(value):
    try:
        [statement] = ast.parse(value or "").body
    except (SyntaxError, ValueError):
        statement = None
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name) and "\n" not in value.strip()):
        raise ValueError(f'needs one assignment to a name, such as in-page="steps = 150", got {value!r}')
    return value.strip()


def text(value):
    if not (value or "").strip():
        raise ValueError('needs the text that the failure\'s message must contain, such as says="should be -6.0"')
    return value


def exercise_role(role):
    def read(value):
        if not IDENTIFIER.fullmatch(value or ""):
            raise ValueError(f"needs an exercise id such as {role}=\"add-backward\" "
                             f"(a letter, then letters, digits, - or _), got {value!r}")
        return ExerciseRole(value, role)
    return read


@dataclass(frozen=True)
class Option:
    """One snippet option: the Options field it sets, what checks and converts its value, and how it is written."""

    field: str
    read: Callable[[str | None], object]  # gets None for a bare word; raises ValueError for a bad value
    usage: str  # for messages: raises=ExceptionName


OPTIONS = {
    "norun": Option("norun", flag, "norun"),
    "hidden": Option("hidden", flag, "hidden"),
    "raises": Option("raises", exception_name, "raises=ExceptionName"),
    "timeout": Option("timeout", seconds, "timeout=SECONDS"),
    "build-only": Option("build_only", reason, 'build-only="reason"'),
    "exercise": Option("exercise", exercise_role("starter"), 'exercise="ID"'),
    "check": Option("exercise", exercise_role("check"), 'check="ID"'),
    "solution": Option("exercise", exercise_role("solution"), 'solution="ID"'),
    "assembled": Option("assembled", flag, "assembled"),
    "wrong": Option("exercise", exercise_role("wrong"), 'wrong="ID"'),
    "says": Option("says", text, 'says="text"'),
    "right": Option("exercise", exercise_role("right"), 'right="ID"'),
    "in-page": Option("in_page", assignment, 'in-page="steps = 150"'),
}


@dataclass(frozen=True)
class InPage:
    """The one line of a snippet's code that the page runs differently from the build (its `in-page=`)."""

    line: int  # 1-based line of the code that the page replaces
    build: str  # that line's statement as the build runs it: steps = 600
    page: str  # what the page runs in its place: steps = 150


@dataclass(frozen=True)
class Snippet:
    """One Python fence and the output fence that follows it, if any."""

    path: str  # the page, as messages name it (docs/chapter-2/2.1-values-and-expressions.md)
    line: int  # 1-based line of the opening fence: the snippet's id
    code: str  # dedented source, as the build, pytest and the notebook run it
    options: Options
    fence: Fence
    output: Fence | None  # the ```output fence right after the snippet
    in_page: InPage | None = None  # the line that the page runs differently, for a snippet with in-page=

    @property
    def page_code(self):
        """The code that the page's editor starts with: the code, with its in-page line replaced, if it has one."""
        if self.in_page is None:
            return self.code
        lines = self.code.splitlines(keepends=True)
        ending = lines[self.in_page.line - 1][len(lines[self.in_page.line - 1].rstrip("\r\n")):]
        lines[self.in_page.line - 1] = f"{self.in_page.page}  # the build ran {self.in_page.build}{ending}"
        return "".join(lines)

    @property
    def indent(self):
        return self.fence.indent

    @property
    def expected(self):
        """The output the page says this snippet prints ("" when it has no output fence)."""
        return self.output.body if self.output else ""

    def source_line(self, code_line):
        """The page's 1-based line number for line `code_line` (1-based) of the code."""
        return self.line + code_line


@dataclass(frozen=True)
class Exercise:
    """An `!!! exercise "Title"` block: the starter the learner edits, the checks, and the reference solution."""

    id: str
    title: str
    line: int  # 1-based line of the `!!! exercise` line
    starter: Snippet
    check: Snippet
    solution: Snippet
    wrong: tuple[Snippet, ...] = ()  # wrong answers, in page order: each must fail the checks, saying its says=
    right: tuple[Snippet, ...] = ()  # other right answers, in page order: each must pass the checks

    @property
    def check_function(self):
        """The name of the exercise's checks as a function, in a notebook: check_my_value."""
        return "check_" + re.sub(r"\W", "_", self.id)


@dataclass(frozen=True)
class Page:
    """A Markdown page: its front matter, every fence in its body, and the snippets among them."""

    path: str
    text: str
    meta: dict = field(compare=False)  # the front matter (`title`, `lesson`, `run`, `build-only`, ...)
    body_start: int  # index of the first line after the front matter
    fences: tuple[Fence, ...]  # every fenced block of the body, whatever its language
    snippets: tuple[Snippet, ...]
    exercises: tuple[Exercise, ...] = ()
    # the earlier pages' exercises that this page builds on (front matter `builds-on`), whose reference
    # solutions run before its own snippets; filled in by lessonkit.builds_on, as they live on other pages
    prelude: tuple[Exercise, ...] = ()
    course: Course = Course()  # the course's settings: its default time limit, where snippets import from

    @property
    def prelude_snippets(self):
        """The solutions of the prelude's exercises, in the order they run."""
        return tuple(exercise.solution for exercise in self.prelude)

    @property
    def builds_on(self):
        """The ids of the earlier exercises that the front matter's `builds-on` names."""
        return tuple(self.meta.get("builds-on", ()))

    def exercise_of(self, snippet):
        """The exercise the snippet is a part of, or None."""
        role = snippet.options.exercise
        return next((exercise for exercise in self.exercises if role and exercise.id == role.id), None)

    @property
    def run(self):
        """False when the front matter says `run: false`: no snippet on the page runs."""
        return self.meta.get("run", True)

    @property
    def build_only(self):
        """The front matter's `build-only` reason: every snippet runs in the build only, not in the page."""
        return self.meta.get("build-only")

    @property
    def max_output(self):
        """The bytes a snippet of this page may print: front matter `max-output`, or 1 MB."""
        return self.meta.get("max-output", DEFAULT_MAX_OUTPUT)

    def runs(self, snippet):
        """Whether the build runs the snippet (lessonkit.plan decides)."""
        return plan.runs_in_build(self, snippet)


def parse_page(text, path, course=Course()):
    """Parse a page's Markdown. Raises ParseError for bad front matter, an unclosed fence or a bad option.

    `course` holds the course's settings: its default time limit, for the snippets without timeout=. The text is
    taken as given; lessonkit.files.read_text reads a page from disk as every adapter does.
    """
    path = str(path)
    lines = text.splitlines(keepends=True)
    meta, body_start = read_front_matter(lines, path)
    fences = tuple(find_fences(lines, body_start, path))
    snippets, attached = [], set()
    for position, fence in enumerate(fences):
        if fence.info == OUTPUT_LANGUAGE:
            if position not in attached:
                raise ParseError(path, fence.start + 1, (
                    "this output fence follows no snippet, so nothing checks it: an output fence goes right "
                    "after its ```python fence, at the same indent, with only blank lines between, "
                    "and a snippet has one"))
            continue
        options = parse_options(fence.info, path, fence.start + 1, course.timeout)
        if options is None:
            continue
        output = None
        following = fences[position + 1] if position + 1 < len(fences) else None
        if following and is_output_for(following, fence, lines):
            output = following
            attached.add(position + 1)
        snippet = Snippet(path, fence.start + 1, fence.body, options, fence, output)
        if options.in_page:
            snippet = replace(snippet, in_page=in_page_line(snippet))
        snippets.append(snippet)
    exercises = find_exercises(snippets, lines, path)
    page = Page(path, text, meta, body_start, fences, tuple(snippets), exercises, course=course)
    for snippet in page.snippets:
        if snippet.output and not page.runs(snippet):
            raise ParseError(path, snippet.output.start + 1, (
                f"this output fence follows a snippet that does not run (line {snippet.line}), so nothing "
                f"checks it; remove the fence, or let the snippet run"))
    return page


def in_page_line(snippet):
    """The one top-level line of the snippet's code that assigns the name its `in-page=` assigns.

    Raises ParseError, at the snippet's page and line, when the snippet is not one the learner runs with Run,
    or when its code does not have exactly one such line, on one line of its own.
    """
    options, path = snippet.options, snippet.path
    if options.norun or options.hidden or options.build_only or options.exercise:
        raise ParseError(path, snippet.line, "in-page= goes on a snippet that the learner runs with Run in the "
                                             "page, not on a norun, hidden or build-only one, nor an exercise's part")
    name = ast.parse(options.in_page).body[0].targets[0].id
    try:
        module = ast.parse(snippet.code)
    except SyntaxError as error:
        raise ParseError(path, snippet.source_line(error.lineno or 1), f"in-page= needs code that Python can read: "
                                                                       f"{error.msg}") from None
    assigning = [statement for statement in module.body if name in assigned_names(statement)]
    if len(assigning) != 1:
        found = (f"lines {', '.join(str(snippet.source_line(s.lineno)) for s in assigning)} assign it"
                 if assigning else "none does")
        raise ParseError(path, snippet.line, f'in-page="{options.in_page}" replaces the one top-level line of the '
                                             f'code that assigns {name}, and {found}')
    [statement] = assigning
    line = snippet.code.splitlines()[statement.lineno - 1]
    alone = (isinstance(statement, ast.Assign) and len(statement.targets) == 1
             and isinstance(statement.targets[0], ast.Name) and statement.end_lineno == statement.lineno
             and not line[:statement.col_offset].strip() and not line[statement.end_col_offset:].strip().startswith(";"))
    if not alone:
        raise ParseError(path, snippet.source_line(statement.lineno), f"in-page= replaces a line such as "
                                                                      f"`{name} = 600`: an assignment to {name} "
                                                                      f"alone, on one line of its own")
    return InPage(statement.lineno, ast.get_source_segment(snippet.code, statement), options.in_page)


def assigned_names(statement):
    """The names a top-level statement assigns: `steps = 600`, `steps: int = 600`, `steps += 1`, `a, steps = …`."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    else:
        return set()
    return {node.id for target in targets for node in ast.walk(target)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def read_front_matter(lines, path):
    """The page's front matter as a dict, and the index of the line where its body starts."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() in FRONT_MATTER_END), None)
    if end is None:
        return {}, 0
    try:
        meta = yaml.safe_load("".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + min(mark.line if mark else 0, end - 2)  # a mark at the end of the YAML: its last line
        problem = getattr(error, "problem", error)
        raise ParseError(path, line, f"the front matter is not valid YAML: {problem}") from None
    if not isinstance(meta, dict):
        raise ParseError(path, 1, f"the front matter must be YAML keys and values, not a {type(meta).__name__}")
    check_front_matter(meta, lines[:end], path)
    return meta, end + 1


def check_front_matter(meta, lines, path):
    """The keys lessonkit reads must have the right type; an error names the key's line."""
    def key_line(key):
        return next((index + 1 for index, line in enumerate(lines) if line.startswith(key + ":")), 1)

    if not isinstance(meta.get("run", True), bool):
        raise ParseError(path, key_line("run"), f"front matter `run:` must be true or false, got {meta['run']!r}")
    builds_on = meta.get("builds-on", [])
    if not (isinstance(builds_on, list) and all(isinstance(i, str) and IDENTIFIER.fullmatch(i) for i in builds_on)):
        raise ParseError(path, key_line("builds-on"), f"front matter `builds-on:` must be a list of exercise ids, "
                                                      f"such as builds-on: [my-value, numbers], got {builds_on!r}")
    if "build-only" in meta and not (isinstance(meta["build-only"], str) and meta["build-only"].strip()):
        raise ParseError(path, key_line("build-only"), f'front matter `build-only:` needs a reason, such as '
                                                       f'build-only: "plots with matplotlib", got {meta["build-only"]!r}')
    limit = meta.get("max-output", DEFAULT_MAX_OUTPUT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ParseError(path, key_line("max-output"), f"front matter `max-output:` must be a number of bytes, "
                                                       f"such as max-output: 5_000_000, got {limit!r}")


EXERCISE_BLOCK = re.compile(r'(?P<indent> *)!!!\s+exercise\s+"(?P<title>[^"]+)"\s*')
SOLUTION_BLOCK = re.compile(r' *\?\?\?\s+[^"]*"[^"]*Solution[^"]*"\s*')  # closed, and its summary says Solution
ROLES = ("starter", "check", "solution")
ANSWERS = ("wrong", "right")  # roles an exercise may have any number of: answers that test its checks
ANSWER_NAMES = {"wrong": "wrong answer", "right": "right answer"}


def find_exercises(snippets, lines, path):
    """Group the exercise parts by id: each exercise has one starter, one check and one solution, and any
    number of wrong and right answers, all inside one `!!! exercise "Title"` block."""
    parts, answers = {}, {}
    for snippet in snippets:
        role = snippet.options.exercise
        if role is None:
            if snippet.options.assembled:
                raise ParseError(path, snippet.line, 'assembled goes on an exercise\'s starter: exercise="ID" assembled')
            continue
        name = ANSWER_NAMES.get(role.role, role.role)
        if role.role in ANSWERS and (snippet.options.raises or snippet.options.build_only or snippet.options.hidden):
            raise ParseError(path, snippet.line, f"an exercise's {name} cannot take raises=, build-only= or hidden: "
                                                 f"it runs in the build only, and is never shown")
        if snippet.options.raises or snippet.options.build_only:
            raise ParseError(path, snippet.line, f"an exercise's {role.role} cannot take raises= or build-only=")
        if snippet.options.assembled and role.role != "starter":
            raise ParseError(path, snippet.line, f"only an exercise's starter can be assembled, not its {name}")
        if snippet.options.hidden and role.role != "check":
            raise ParseError(path, snippet.line, f"only an exercise's checks can be hidden, not its {role.role}")
        if role.role in ANSWERS:
            if snippet.output is not None:
                raise ParseError(path, snippet.output.start + 1, f"this output fence follows a {name} (line "
                                                                 f"{snippet.line}), whose output nothing shows or "
                                                                 f"checks; remove the fence")
            answers.setdefault(role.id, []).append(snippet)
            continue
        found = parts.setdefault(role.id, {})
        if role.role in found:
            raise ParseError(path, snippet.line, f"exercise {role.id!r} has a second {role.role} here; "
                                                 f"the first is at line {found[role.role].line}")
        found[role.role] = snippet
    for id, snippets_of in answers.items():
        if id not in parts:
            snippet = snippets_of[0]
            name = ANSWER_NAMES[snippet.options.exercise.role]
            raise ParseError(path, snippet.line, f"this {name} names exercise {id!r}, which this page does not have: "
                                                 f"it goes inside the `!!! exercise` block of the exercise it answers, "
                                                 f"with that exercise's id")
    exercises = []
    for id, found in parts.items():
        first = min(found.values(), key=lambda snippet: snippet.line)
        missing = [role for role in ROLES if role not in found]
        if missing:
            options = {"starter": f'exercise="{id}"', "check": f'check="{id}"', "solution": f'solution="{id}"'}
            raise ParseError(path, first.line, f"exercise {id!r} has no {' and no '.join(missing)}: add a python fence "
                                               f"with {' and one with '.join(options[role] for role in missing)}")
        block = enclosing_exercise_block(lines, found["starter"])
        if block is None:
            raise ParseError(path, found["starter"].line, f'exercise {id!r} must be inside an `!!! exercise "Title"` block')
        line, title = block
        for role in ("check", "solution"):
            if enclosing_exercise_block(lines, found[role]) != block:
                raise ParseError(path, found[role].line,
                                 f"this {role} of exercise {id!r} is outside the `!!! exercise` block at line {line}")
        for answer in answers.get(id, ()):
            if enclosing_exercise_block(lines, answer) != block:
                raise ParseError(path, answer.line, f"this {ANSWER_NAMES[answer.options.exercise.role]} of exercise "
                                                    f"{id!r} is outside the `!!! exercise` block at line {line}")
        around = next(enclosing_lines(lines, found["solution"]), (0, ""))[1]
        if not SOLUTION_BLOCK.fullmatch(around):
            raise ParseError(path, found["solution"].line, f'the solution of exercise {id!r} goes in a closed block '
                                                           f'whose summary says Solution: ??? success "Solution"')
        mine = answers.get(id, ())
        exercises.append(Exercise(id, title, line, found["starter"], found["check"], found["solution"],
                                  tuple(s for s in mine if s.options.exercise.role == "wrong"),
                                  tuple(s for s in mine if s.options.exercise.role == "right")))
    return tuple(exercises)


def enclosing_exercise_block(lines, snippet):
    """The (line, title) of the `!!! exercise "Title"` block that holds the snippet, or None."""
    for index, text in enclosing_lines(lines, snippet):
        block = EXERCISE_BLOCK.fullmatch(text)
        if block:
            return index + 1, block["title"]
    return None


def enclosing_lines(lines, snippet):
    """The (index, text) of the lines that open the blocks around the snippet, innermost first."""
    indent = len(snippet.indent)
    for index in range(snippet.fence.start - 1, -1, -1):
        text = lines[index].rstrip("\r\n")
        depth = len(text) - len(text.lstrip(" "))
        if not text.strip() or depth >= indent:
            continue
        yield index, text
        indent = depth
        if depth == 0:
            return


def find_fences(lines, start, path):
    """Every fenced block from line `start` on, whatever its language."""
    index = start
    while index < len(lines):
        opening = FENCE_OPEN.fullmatch(lines[index].rstrip("\r\n"))
        if not opening or (opening["marker"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        indent, marker = opening["indent"], opening["marker"]
        if "\t" in indent:
            raise ParseError(path, index + 1, "this fence is indented with a tab; indent it with spaces "
                                              "(four for each `!!!` or `???` block around it)")
        end = find_closing(lines, index, indent, marker, path)
        body = "".join(dedent(line, indent) for line in lines[index + 1:end])
        yield Fence(index, end, indent, marker, opening["info"].strip(), body)
        index = end + 1


def find_closing(lines, opening, indent, marker, path):
    """The index of the line that closes the fence opened at `opening`."""
    for index in range(opening + 1, len(lines)):
        text = lines[index].rstrip("\r\n")
        if text.strip() and not text.startswith(indent):
            raise ParseError(path, opening + 1, (
                f"the {marker} fence opened here is not closed before line {index + 1}, "
                f"which leaves its indented block; add a closing {marker} indented "
                f"{len(indent)} spaces"))
        closing = text.strip()
        if closing and set(closing) == {marker[0]} and len(closing) >= len(marker):
            return index
    raise ParseError(path, opening + 1, (
        f"the {marker} fence opened here is never closed; add a line with {marker} after its content"))


def dedent(line, indent):
    """A line without the fence's indent (a blank line may be shorter than it)."""
    return line[len(indent):] if line.startswith(indent) else line.lstrip(" ")


def is_output_for(candidate, fence, lines):
    """Whether `candidate` is the output fence of the snippet `fence`: next, same indent, only blank lines between."""
    return (candidate.info == OUTPUT_LANGUAGE
            and candidate.indent == fence.indent
            and all(not line.strip() for line in lines[fence.end + 1:candidate.start]))


def parse_options(info, path, line, timeout=DEFAULT_TIMEOUT):
    """The options of a Python fence, or None when the fence is not Python; `timeout` unless it says timeout=.

    Accepts `python norun` and the attribute form `{ .python hidden }`.
    """
    braced = info.startswith("{") and info.endswith("}")
    tokens = INFO_TOKEN.findall(info[1:-1] if braced else info)
    language = next((t for t in tokens if t.startswith(".")), "")[1:] if braced else (tokens or [""])[0]
    if language not in SNIPPET_LANGUAGES:
        if PYTHON_LOOKALIKE.fullmatch(language):
            raise ParseError(path, line, f"```{language} is never run; write ```python to run it, "
                                         f"or ```python norun to show it without running it")
        return None
    found, kept = {}, ([] if braced else [tokens[0]])
    for token in tokens if braced else tokens[1:]:
        key, equals, value = token.partition("=")
        option = OPTIONS.get(key)
        if option:
            if option.field == "exercise" and "exercise" in found:
                raise ParseError(path, line, "a snippet has one exercise role: exercise=, check=, solution=, wrong= "
                                             "or right=, not two")
            if option.read is not flag and not equals:
                raise ParseError(path, line, f"{key} needs a value: {option.usage}")
            try:
                found[option.field] = option.read(unquoted(value) if equals else None)
            except ValueError as error:
                raise ParseError(path, line, f"{key}{equals} {error}") from None
        elif (key in HIGHLIGHT_KEYS and equals) or (braced and token[0] in ".#"):
            kept.append(token)
        else:
            raise ParseError(path, line, (
                f"unknown option {token!r} on a python fence; the options are "
                f"{', '.join(option.usage for option in OPTIONS.values())} "
                f"(and {', '.join(k + '=' for k in HIGHLIGHT_KEYS)} for highlighting)"))
    if found.get("norun") and (found.get("hidden") or "raises" in found or "exercise" in found):
        raise ParseError(path, line, "norun cannot go with hidden, raises= or an exercise role: "
                                     "a snippet that does not run shows nothing else")
    if "says" in found and getattr(found.get("exercise"), "role", None) != "wrong":
        raise ParseError(path, line, 'says= goes with a wrong answer: wrong="ID" says="text its message contains"')
    if getattr(found.get("exercise"), "role", None) == "wrong" and "says" not in found:
        raise ParseError(path, line, 'a wrong answer says what its failure\'s message contains, so that failing '
                                     'for another reason does not count: wrong="ID" says="text"')
    shown = " ".join(kept)
    found["shown_info"] = ("{ " + shown + " }" if braced else shown) if found else info
    found.setdefault("timeout", timeout)
    return Options(**found)


def unquoted(value):
    """An option's value without the one pair of quotes around it, if any: says="'list'" keeps its inner quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
