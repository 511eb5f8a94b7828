"""MkDocs hook: typeset the pages' math as MathML at build time.

pymdownx.arithmatex (generic mode) finds `$...$` and `$$...$$` in the Markdown and
leaves the TeX in the page as `<span class="arithmatex">\\(...\\)</span>` and
`<div class="arithmatex">\\[...\\]</div>`. This hook replaces each of them with
the MathML that latex2mathml makes of the TeX. Browsers render MathML
themselves, so the site loads no script and no font for its math, and the
formulas take the text's colour in both palettes.

TeX that latex2mathml cannot read, or a command it does not know, fails the
build (`--strict`) with the page and line of the formula.
"""

import html
import logging
import re

from latex2mathml.converter import convert

# Under "mkdocs.", so that an error fails `mkdocs build --strict`.
log = logging.getLogger("mkdocs.hooks.math")

MATH = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<block>.*?)\\\]</div>',
    re.DOTALL,
)
# What latex2mathml leaves in its output when it does not understand the TeX.
NOT_UNDERSTOOD = [
    (re.compile(r">(\\[A-Za-z]+)<"), "unknown command {}"),
    (re.compile(r"<mi>&</mi>"), "an & outside align* or split (aligned is not supported)"),
    (re.compile(r'<mspace linebreak="newline" />'), "a line break \\\\ outside align* or split"),
]


def on_page_content(html_text, page, **kwargs):
    return MATH.sub(lambda found: mathml(found, page), html_text)


def mathml(found, page):
    block = found.group("block") is not None
    tex = html.unescape(found.group("block") if block else found.group("inline")).strip()
    try:
        result = convert(tex, display="block" if block else "inline")
        for pattern, message in NOT_UNDERSTOOD:
            leftover = pattern.search(result)
            if leftover:
                raise ValueError(message.format(*leftover.groups()))
    except Exception as error:
        log.error(f"{source_line(page, tex)}: cannot typeset ${tex}$: {str(error) or type(error).__name__}")
        return found.group(0)
    return result


def source_line(page, tex):
    """docs/…/page.md:LINE of the first line of the page's source that holds the formula."""
    first = tex.splitlines()[0].strip() if tex else ""
    lines = page.file.content_string.splitlines()
    number = next((n for n, line in enumerate(lines, start=1) if first and first in line), 1)
    return f"docs/{page.file.src_uri}:{number}"
