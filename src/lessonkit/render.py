"""Markdown for a page: each snippet as a plain code fence, then its real output, its displays and its error.

Everything outside snippets and output fences stays byte for byte. What is
rendered keeps the snippet's indent, so it stays inside its `???` or `!!!` block.

The Markdown relies on pymdownx.superfences, admonition and md_in_html, and
gives the site's stylesheet and scripts these hooks:

- `lessonkit-output`: the class of a snippet's output, a text block titled "Output"
  (`<div class="lessonkit-output highlight"><span class="filename">Output</span><pre>…`).
  Being a code block, its text is HTML-escaped: `<script>` shows as text.
- `lessonkit-display`: the class of the `<div>` around a picture or HTML that a
  snippet displayed (sanitized SVG or HTML, or a PNG as an <img>). It takes
  the place of its one-line text stand-in in the output. The
  `lessonkit-display` fence that holds it is turned into that `<div>` by
  `display_html`. CUSTOM_FENCES lists the superfences custom fences that the
  rendered Markdown needs; an adapter (the MkDocs hook) installs them.
- `lessonkit-in-page`: the class of the note under a live snippet with
  `in-page="steps = 150"` (an `info` admonition without a title): the page
  runs that line instead of the build's, so that the run ends in about a
  minute; the output shown is the build's; later snippets on the page use what
  the shorter run made, until the learner sets the line back. The code block
  shows the build's code; the page's editor starts with the page's
  (island.py).
- A failing snippet gets a `failure` admonition titled `docs/page.md:LINE: …`
  holding the mapped traceback or the output diff.
- `lessonkit-snippet`: the class of the `<div data-snippet="L42">` around each
  shown snippet that runs (island.py says which), holding its code, output and
  display, so the page's scripts find them by the snippet's id. Its notes and
  errors follow it.

An exercise's wrong and right answers (plan.is_shown false) are left out, with
the blank lines after them, so that the page's HTML is the same as without
them; only a problem with one shows, where it stood.
"""

import html
import re

from lessonkit.check import normalize
from lessonkit.island import is_wrapped, snippet_id
from lessonkit.plan import is_shown, where
from lessonkit.sanitize import sanitize

EXERCISE_TITLES = {"starter": "Your code", "check": "Checks"}
OUTPUT_INFO = '{ .text .lessonkit-output title="Output" }'
DISPLAY_LANGUAGE = "lessonkit-display"
DISPLAY_CLASS = "lessonkit-display"
IN_PAGE_CLASS = "lessonkit-in-page"
COLLAPSED = re.compile(r"^( *)\?\?\?(?!\+)(\s)")  # a `??? note` block, closed until clicked
XML_PROLOG = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


def render_page(page, run=None, problems=()):
    """The page's Markdown with snippets rendered; `run` None renders the code and the output fences as written."""
    lines = page.text.splitlines(keepends=True)
    problem_at = {(problem.path, problem.line): problem for problem in problems}
    for snippet in page.snippets:
        if (page.path, snippet.line) in problem_at:
            open_enclosing_blocks(lines, snippet.fence.start)
    spans = []
    for index, snippet in enumerate(page.snippets):
        if not is_shown(snippet):
            spans.append(left_out(page, snippet, lines, problem_at.get((page.path, snippet.line))))
            continue
        result = run.results[index] if run else None
        end = snippet.output.end if snippet.output else snippet.fence.end
        rendered = render_snippet(page, snippet, lines, result, problem_at.get((page.path, snippet.line)))
        spans.append((snippet.fence.start, end, rendered))
    prelude_problems = [problem_at[key] for key in problem_at if key[0] != page.path]
    if prelude_problems:  # right after the front matter (a page with a prelude has front matter)
        closing = page.body_start - 1
        blocks = "".join("\n" + admonition("failure", f"{p.location}: {p.title}", p.detail, "pytb", "")
                         for p in prelude_problems)
        spans.append((closing, closing, lines[closing] + blocks + "\n"))
    return splice(lines, spans)


def render_snippet(page, snippet, lines, result, problem):
    """The code, its output and display (wrapped, when it runs), then its notes, as blocks separated by blank lines."""
    indent = snippet.indent
    shown, notes = [], []
    if not snippet.options.hidden:
        shown.append(code_block(snippet, lines))
        if result is None:
            shown += text_blocks(snippet.expected.splitlines(), indent)
        else:
            shown += output_and_displays(result, indent)
        if result and not result.ran:
            title = "Not run: an earlier snippet on this page timed out or crashed"
            notes.append(admonition("note", title, "", "text", indent))
    if snippet.in_page and where(page, snippet).live:
        notes.append(in_page_note(snippet.in_page, indent))
    if problem:
        language = "diff" if problem.kind == "differs" else "pytb"
        notes.append(admonition("failure", f"{problem.location}: {problem.title}", problem.detail, language, indent))
    if shown and is_wrapped(page, snippet):
        shown = [wrapped("\n".join(shown), snippet)]
    return "\n".join(shown + notes)


def left_out(page, snippet, lines, problem):
    """The span of a snippet the page never shows, with the blank lines after it: nothing, or its problem."""
    end = snippet.fence.end
    while end + 1 < len(lines) and not lines[end + 1].strip():
        end += 1
    if problem is None:
        return snippet.fence.start, end, ""
    language = "diff" if problem.kind == "differs" else "pytb"
    return snippet.fence.start, end, admonition("failure", f"{problem.location}: {problem.title}", problem.detail,
                                                language, snippet.indent) + "\n"


def in_page_note(line, indent):
    """The note under a snippet that the page runs with another line than the build (its `in-page=`)."""
    text = (f"The page runs this with `{line.page}` instead of the build's `{line.build}`, so that it ends in "
            f"about a minute; the output shown is the build's. Later snippets on this page use what this shorter "
            f"run made, until you set the line back to `{line.build}`.")
    return f'{indent}!!! info {IN_PAGE_CLASS} ""\n\n{indent}    {text}\n'


def wrapped(markdown, snippet):
    """The snippet's fences inside a <div data-snippet="L42">, where the browser finds them."""
    indent = snippet.indent
    return (f'{indent}<div class="lessonkit-snippet" data-snippet="{snippet_id(snippet)}" markdown>\n\n'
            f"{markdown}\n{indent}</div>\n")


def open_enclosing_blocks(lines, index):
    """Make the collapsible `???` blocks around line `index` start open, so that an error in them is seen."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    for above in range(index - 1, -1, -1):
        text = lines[above]
        depth = len(text) - len(text.lstrip(" "))
        if not text.strip() or depth >= indent:
            continue
        indent = depth
        if COLLAPSED.match(text):
            lines[above] = COLLAPSED.sub(r"\1???+\2", text, count=1)
        if depth == 0:
            return


def code_block(snippet, lines):
    """The snippet's fence as written, with lessonkit's options taken out of its info string.

    An exercise's starter and checks get a title, so a learner tells them apart.
    """
    fence = snippet.fence
    opening = lines[fence.start]
    info = snippet.options.shown_info
    role = snippet.options.exercise
    if role and role.role in EXERCISE_TITLES and "title=" not in info:
        title = f'title="{EXERCISE_TITLES[role.role]}"'
        info = f"{info[:-1].rstrip()} {title} }}" if info.startswith("{") else f"{info} {title}"
    if info != fence.info:
        opening = f"{fence.indent}{fence.marker}{info}\n"
    return ends_line(opening + "".join(lines[fence.start + 1:fence.end + 1]))


def output_block(text, indent):
    return fenced(text, OUTPUT_INFO, indent)


def output_and_displays(result, indent):
    """The output as text blocks, each display in place of the line of text that stands for it."""
    blocks, lines = [], normalize(result.output).splitlines()
    for shown in result.displays:
        stand_in = shown.text.rstrip()
        at = lines.index(stand_in) if stand_in in lines else len(lines)
        blocks += text_blocks(lines[:at], indent)
        blocks.append(fenced(display_markup(shown), DISPLAY_LANGUAGE, indent))
        lines = lines[at + 1:]
    return blocks + text_blocks(lines, indent)


def text_blocks(lines, indent):
    """An output block of the lines, or none when they are blank."""
    text = normalize("\n".join(lines))
    return [output_block(text, indent)] if text else []


def display_markup(shown):
    """A display as HTML for the page: SVG and HTML sanitized, a PNG as an <img> that holds its bytes."""
    if shown.mime == "image/png" and BASE64.fullmatch(shown.data):
        return f'<img alt="{html.escape(shown.text)}" src="data:image/png;base64,{"".join(shown.data.split())}">'
    return sanitize(XML_PROLOG.sub("", shown.data))


def admonition(kind, title, text, language, indent):
    """A `!!! kind "title"` block, with `text` in a fence inside it when there is any."""
    title = title.replace('"', "'")
    block = f'{indent}!!! {kind} "{title}"\n'
    if text.strip():
        block += "\n" + fenced(text, language, indent + "    ")
    return block


def fenced(text, info, indent):
    """Text in a fence long enough that no line of the text can close it."""
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", text, re.MULTILINE)), default=0)
    marker = "`" * max(3, longest + 1)
    body = "".join(f"{indent}{line}\n" if line.strip() else "\n" for line in text.splitlines())
    return f"{indent}{marker}{info}\n{body}{indent}{marker}\n"


def ends_line(text):
    return text if text.endswith("\n") else text + "\n"


def splice(lines, spans):
    """The lines with each (start, end, text) span of lines replaced by its text."""
    out, position = [], 0
    for start, end, text in sorted(spans):
        out.extend(lines[position:start])
        if not lines[end].endswith("\n"):  # the page ends inside the span without a final newline
            text = text.removesuffix("\n")
        out.append(text)
        position = end + 1
    out.extend(lines[position:])
    return "".join(out)


def display_html(source, *args, **kwargs):
    """The HTML of a `lessonkit-display` fence: the SVG as is, in a <div> (a superfences custom fence format)."""
    return f'<div class="{DISPLAY_CLASS}">{source}</div>'


# The pymdownx.superfences custom fences that rendered pages use.
CUSTOM_FENCES = [{"name": DISPLAY_LANGUAGE, "class": DISPLAY_CLASS, "format": display_html}]
