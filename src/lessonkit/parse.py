"""Find the Python snippets in a Markdown page: code, options, expected output, file:line.

A snippet is a ```python (or ~~~python) fence. Its options follow the language
in the info string; its expected output is an ```output fence right after it
(only blank lines between). Fences may be indented, as they are inside
`???` and `!!!` blocks: the code is dedented to run and the indent is kept
to render. Parsing never changes the page; it only says where things are.
"""

import re
from dataclasses import dataclass

SNIPPET_LANGUAGES = ("python", "py")
OUTPUT_LANGUAGE = "output"
DEFAULT_TIMEOUT = 10.0
# Highlighting attributes that pymdownx.superfences understands; they stay on the rendered fence.
HIGHLIGHT_KEYS = ("title", "linenums", "hl_lines")

FENCE_OPEN = re.compile(r"(?P<indent> *)(?P<marker>`{3,}|~{3,})(?P<info>.*)")
INFO_TOKEN = re.compile(r"""[^\s=]+=(?:"[^"]*"|'[^']*'|[^\s"']*)|\S+""")
DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
RUN_FALSE = re.compile(r"run:\s*(false|no|off)\s*", re.IGNORECASE)


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
class Options:
    """What an author asked of a snippet in its info string."""

    norun: bool = False  # shown, not run
    hidden: bool = False  # run, not shown
    raises: str | None = None  # must raise this exception
    timeout: float = DEFAULT_TIMEOUT  # seconds it may take
    shown_info: str = "python"  # the info string to render: the options taken out


@dataclass(frozen=True)
class Snippet:
    """One Python fence and the output fence that follows it, if any."""

    path: str  # the page, as messages name it (docs/chapter-2/2.1-values-and-expressions.md)
    line: int  # 1-based line of the opening fence: the snippet's id
    code: str  # dedented source
    options: Options
    fence: Fence
    output: Fence | None  # the ```output fence right after the snippet

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
class Page:
    """A Markdown page and the snippets in it."""

    path: str
    text: str
    snippets: tuple[Snippet, ...]
    loose_outputs: tuple[Fence, ...]  # output fences that follow no snippet: shown as written
    run: bool = True  # front matter `run: false` turns running off for the page

    def runs(self, snippet):
        """Whether the snippet runs: the page runs and the snippet is not `norun`."""
        return self.run and not snippet.options.norun


def parse_page(text, path):
    """Parse a page's Markdown. Raises ParseError for an unclosed fence or a bad option."""
    path = str(path)
    lines = text.splitlines(keepends=True)
    body_start, run = read_front_matter(lines)
    fences = list(find_fences(lines, body_start, path))
    snippets, loose_outputs, attached = [], [], set()
    for position, fence in enumerate(fences):
        if fence.info == OUTPUT_LANGUAGE:
            if position not in attached:
                loose_outputs.append(fence)
            continue
        options = parse_options(fence.info, path, fence.start + 1)
        if options is None:
            continue
        output = None
        following = fences[position + 1] if position + 1 < len(fences) else None
        if following and is_output_for(following, fence, lines):
            output = following
            attached.add(position + 1)
        snippets.append(Snippet(path, fence.start + 1, fence.body, options, fence, output))
    return Page(path, text, tuple(snippets), tuple(loose_outputs), run)


def read_front_matter(lines):
    """Where the page's body starts, and whether its front matter lets it run."""
    if not lines or lines[0].rstrip() != "---":
        return 0, True
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            run = not any(RUN_FALSE.fullmatch(line.rstrip()) for line in lines[1:index])
            return index + 1, run
    return 0, True


def find_fences(lines, start, path):
    """Every fenced block from line `start` on, whatever its language."""
    index = start
    while index < len(lines):
        opening = FENCE_OPEN.fullmatch(lines[index].rstrip("\r\n"))
        if not opening or (opening["marker"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        indent, marker = opening["indent"], opening["marker"]
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


def parse_options(info, path, line):
    """The options of a Python fence, or None when the fence is not Python.

    Accepts `python norun` and the attribute form `{ .python hidden }`.
    """
    braced = info.startswith("{") and info.endswith("}")
    tokens = INFO_TOKEN.findall(info[1:-1] if braced else info)
    language = next((t for t in tokens if t.startswith(".")), "")[1:] if braced else (tokens or [""])[0]
    if language not in SNIPPET_LANGUAGES:
        return None
    found, kept = {}, ([] if braced else [tokens[0]])
    for token in tokens if braced else tokens[1:]:
        key, equals, value = token.partition("=")
        if token in ("norun", "hidden"):
            found[token] = True
        elif key in ("raises", "timeout") and equals:
            found[key] = option_value(key, value.strip("\"'"), path, line)
        elif (key in HIGHLIGHT_KEYS and equals) or (braced and token[0] in ".#"):
            kept.append(token)
        else:
            raise ParseError(path, line, (
                f"unknown option {token!r} on a python fence; the options are "
                f"norun, hidden, raises=ExceptionName and timeout=SECONDS "
                f"(and {', '.join(k + '=' for k in HIGHLIGHT_KEYS)} for highlighting)"))
    if found.get("norun") and (found.get("hidden") or "raises" in found):
        raise ParseError(path, line, "norun cannot go with hidden or raises=: a snippet that does not run shows nothing else")
    shown = " ".join(kept)
    found["shown_info"] = ("{ " + shown + " }" if braced else shown) if found else info
    return Options(**found)


def option_value(key, value, path, line):
    """The checked value of raises= or timeout=."""
    if key == "raises":
        if not DOTTED_NAME.fullmatch(value):
            raise ParseError(path, line, f"raises= needs an exception name such as raises=ValueError, got {value!r}")
        return value
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not seconds > 0:
        raise ParseError(path, line, f"timeout= needs a positive number of seconds, got {value!r}")
    return seconds
