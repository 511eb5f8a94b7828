"""Export a lesson page to a Jupyter notebook (nbformat 4) that runs top to bottom.

The notebook is made from the same Markdown as the page: prose becomes Markdown
cells and every snippet that lessonkit/plan.py puts in the notebook (each one
the build runs, and every part of an exercise) becomes a code cell, in page
order, hidden setup snippets included. A `norun` snippet stays a code block in the prose.
Output fences are left out: running the notebook produces them. An admonition
(`!!! tip "..."`, `??? question "Reveal answers"`) becomes a heading over its
dedented content, in cells of its own; snippets inside it are code cells too.

An exercise becomes three code cells: the starter, tagged `exercise`, for the
learner to edit; the checks, tagged `checks`, as a function that the cell calls,
printing "passed" or "not yet: <what is wrong>" instead of raising, so that the
notebook still runs top to bottom; and the reference solution, tagged
`solution` and collapsed, which calls the checks again and so proves, in every
run, that it passes them. The earlier exercises a page builds on come first,
as their solutions, tagged `solution`.

Cell ids come from the page's path and the cell's position, and nothing records
a time or a run, so exporting the same page twice gives the same bytes.
"""

import hashlib
import re

import nbformat

from lessonkit import plan

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
# `!!! note`, `??? question "Reveal answers"`, `???+ tip inline end "Title"`.
ADMONITION = re.compile(r'(?P<marker>!!!|\?\?\?\+?)\s+(?P<kinds>[^"]*?)\s*(?:"(?P<title>[^"]*)")?\s*')
ADMONITION_INDENT = 4
PRELUDE_NOTE = ("This lesson's exercises build on earlier ones. Here are their reference solutions; "
                "put your own code in their place if you like.")
SOLUTION_METADATA = {"tags": ["solution"], "jupyter": {"source_hidden": True}}
# attr_list's `{ .lesson-lede }` on a line of its own, or at the end of a heading.
ATTRIBUTE_LIST = re.compile(r"^(?P<keep>#+ .*?)?[ \t]*\{:?[ \t]*[.#][^}\n]*\}[ \t]*$")


def export_notebook(page, subtitle=""):
    """The parsed page as notebook JSON text, or None when the page has no snippet that runs.

    `subtitle` goes under the title, with `{lesson}` replaced by the page's front
    matter `lesson` (pages without one get no subtitle).

    The page's path (docs/chapter-2/2.1-values-and-expressions.md) seeds the
    cell ids, so name the page the same way on every export.
    """
    notebook = page_notebook(page, subtitle)
    if notebook is None:
        return None
    return nbformat.writes(notebook) + "\n"


def page_notebook(page, subtitle=""):
    """The parsed page as an nbformat NotebookNode, or None when no snippet on it runs."""
    if not plan.has_notebook(page):
        return None
    title = page.meta.get("title")
    cells = [nbformat.v4.new_markdown_cell(first_cell(title, page.meta.get("lesson"), subtitle))]
    if page.prelude:
        cells.append(nbformat.v4.new_markdown_cell(PRELUDE_NOTE))
        cells += [nbformat.v4.new_code_cell(s.code.rstrip("\n"), metadata=SOLUTION_METADATA)
                  for s in page.prelude_snippets]
    cells += body_cells(page)
    drop_repeated_title(cells, title)
    for index, cell in enumerate(cells):
        cell.id = cell_id(page.path, index)
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
    })


def first_cell(title, lesson, subtitle):
    """The title as a heading, then the subtitle: which lesson this is."""
    lines = [f"# {title}"] if title else []
    if lesson and subtitle:
        lines.append(f"*{subtitle.format(lesson=lesson)}*")
    return "\n\n".join(lines)


def body_cells(page):
    """The page's body as cells: code for each snippet that runs, Markdown between.

    One pass over the lines, so that an admonition stays open across the
    snippets inside it.
    """
    lines = page.text.splitlines(keepends=True)
    running = {s.fence.start: s for s in page.snippets if plan.where(page, s).notebook}
    left_out = {s.fence.start: s for s in page.snippets if not plan.is_shown(s)}
    shown_as_code = {s.fence.start: s for s in page.snippets if s.fence.start not in running.keys() | left_out.keys()}
    in_code_blocks = {index for fence in page.fences for index in range(fence.start, fence.end + 1)}
    prose = Prose()
    index = page.body_start
    while index < len(lines):
        if index in running:
            snippet = running[index]
            yield from prose.cells()
            yield code_cell(snippet, page.exercise_of(snippet), plan.where(page, snippet).reason)
            index = (snippet.output or snippet.fence).end + 1
            continue
        if index in left_out:
            index = left_out[index].fence.end + 1
            while index < len(lines) and not lines[index].strip():
                index += 1
            continue
        if index in shown_as_code:  # the fence as the page shows it, options taken out
            fence = shown_as_code[index].fence
            prose.add(f"{fence.indent}{fence.marker}{shown_as_code[index].options.shown_info}\n", code=True)
        else:
            prose.add(lines[index], code=index in in_code_blocks)
        index += 1
    yield from prose.cells()


def code_cell(snippet, exercise=None, build_only_reason=None):
    """A snippet's code. One that must raise gets the `raises-exception` tag, which
    Jupyter (Notebook, Lab) and nbclient read as: go on running the cells after it.
    A build-only one gets the `build-only` tag: it needs what only a clone of the
    course has (a data file, or minutes of training)."""
    if exercise:
        return exercise_cell(snippet, exercise)
    tags = ["raises-exception"] if snippet.options.raises else []
    if build_only_reason:
        tags.append("build-only")
    metadata = {"tags": tags} if tags else {}
    return nbformat.v4.new_code_cell(snippet.code.rstrip("\n"), metadata=metadata)


def exercise_cell(snippet, exercise):
    """The starter as it is; the checks as a function that says "not yet" instead of raising;
    the solution, followed by a call to the checks."""
    code = snippet.code.rstrip("\n")
    if snippet is exercise.starter:
        return nbformat.v4.new_code_cell(code, metadata={"tags": ["exercise"]})
    if snippet is exercise.solution:
        call = f"{exercise.check_function}()  # the reference solution passes the checks"
        return nbformat.v4.new_code_cell(f"{code}\n\n{call}", metadata=SOLUTION_METADATA)
    body = "".join(f"    {line}" if line.strip() else "\n" for line in code.splitlines(keepends=True))
    return nbformat.v4.new_code_cell(
        f"# The checks of \"{exercise.title}\": run this cell after yours.\n"
        f"def {exercise.check_function}():\n{body}\n\n\n"
        f"try:\n"
        f"    {exercise.check_function}()\n"
        f"    print(\"passed\")\n"
        f"except Exception as failure:  # not right yet: say what, and let the notebook run on\n"
        f"    print(\"not yet:\", failure if isinstance(failure, AssertionError) else repr(failure))",
        metadata={"tags": ["checks"]})


class Prose:
    """Markdown lines on their way into cells, with admonitions opened out.

    An admonition's first line becomes a `### Title` heading and its indented
    content is dedented. A new cell starts where an admonition opens or closes.
    Lines of code blocks are only dedented.
    """

    def __init__(self):
        self.blocks = [[]]
        self.open_indents = []  # the indent of each open admonition's first line

    def add(self, line, code=False):
        width = len(line) - len(line.lstrip(" "))
        if line.strip() and self.open_indents and width <= self.open_indents[-1]:
            while self.open_indents and width <= self.open_indents[-1]:
                self.open_indents.pop()
            self.blocks.append([])
        line = line[min(len(self.open_indents) * ADMONITION_INDENT, width):] if line.strip() else "\n"
        header = None if code else ADMONITION.fullmatch(line.rstrip("\r\n"))
        if header:
            self.open_indents.append(width)
            self.blocks.append([f"### {admonition_title(header)}\n"] if admonition_title(header) else [])
        else:
            self.blocks[-1].append(line if code else ATTRIBUTE_LIST.sub(r"\g<keep>", line))

    def cells(self):
        """The Markdown cells gathered so far, leaving out empty ones; then starts afresh."""
        texts = ("".join(block).strip("\n") for block in self.blocks)
        self.blocks = [[]]
        return [nbformat.v4.new_markdown_cell(text) for text in texts if text.strip()]


def admonition_title(header):
    """An admonition's title: the quoted one, else its kind ("note" -> "Note")."""
    if header["title"] is not None:
        return header["title"]
    return header["kinds"].split()[0].capitalize() if header["kinds"] else ""


def drop_repeated_title(cells, title):
    """Remove the page's own `# Title` heading: the first cell already shows it."""
    if not title:
        return
    heading = re.compile(rf"^# {re.escape(title)}[ \t]*\n?", re.MULTILINE)
    for cell in cells[1:]:
        if cell.cell_type == "markdown" and heading.search(cell.source):
            cell.source = heading.sub("", cell.source, count=1).strip("\n")
            if not cell.source:
                cells.remove(cell)
            return


def cell_id(path, index):
    """A short id that depends only on the page's path and the cell's position."""
    return hashlib.sha256(f"{path}#{index}".encode()).hexdigest()[:12]
