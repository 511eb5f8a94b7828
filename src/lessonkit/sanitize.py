"""Markup that a snippet displayed (SVG or HTML), made safe to put in a page, with nh3 (the ammonia sanitizer).

What stays is an allowlist, in one file that the build and the page both read:
assets/allowlist.json. Here nh3 applies it; in the page, run.js applies the same
file with DOMPurify, so that a snippet's picture is the same whether the build
or the learner's Run drew it. Its entries:

- `tags`: the HTML and SVG elements kept (HTML's safe ones, and the SVG that
  charts and diagrams use). Any other element goes, and its content stays,
  except for `dropped_with_content` (<script>, <style> that would restyle the
  whole page, and a figure's <metadata>, which holds its producer and date).
- `attributes`: by element, the attributes kept; "*" is for every element.
  An attribute is matched by its local name, as ammonia does: `xlink:href`
  by `href`. So no event handler (onload=...) ever stays.
- `url_attributes` hold URLs (`href`, `src`): each keeps a relative URL, or an
  absolute one whose scheme is in `url_schemes`, so no javascript: link stays.
  Only `links` (<a>) may point elsewhere: on any other element an href is a
  reference inside the picture (`#id`, as <use> and gradients make), or it goes,
  so that a picture never makes the page load anything.
- `style_properties`: the only CSS properties kept in a style attribute.

Comments go, <img> is not in the list (a page loads nothing from elsewhere:
a PNG that a snippet shows is put in the page as data, by render.py), and no
`rel` is added to links.
"""

import json
from functools import cache
from importlib.resources import files

import nh3

ALLOWLIST = "allowlist.json"  # in lessonkit's assets/, next to the page's scripts


@cache
def allowlist():
    """The allowlist that the build and the page share, as sets."""
    data = json.loads((files("lessonkit") / "assets" / ALLOWLIST).read_text(encoding="utf-8"))
    return {
        "tags": set(data["tags"]),
        "attributes": {tag: set(names) for tag, names in data["attributes"].items()},
        "url_schemes": set(data["url_schemes"]),
        "links": set(data["links"]),
        "style_properties": set(data["style_properties"]),
        "dropped_with_content": set(data["dropped_with_content"]),
    }


def sanitize(markup):
    """The SVG or HTML with everything outside the allowlist removed."""
    allowed = allowlist()
    return nh3.clean(markup, tags=allowed["tags"], attributes=allowed["attributes"],
                     clean_content_tags=allowed["dropped_with_content"], url_schemes=allowed["url_schemes"],
                     filter_style_properties=allowed["style_properties"], attribute_filter=inside_the_picture,
                     strip_comments=True, link_rel=None)


def inside_the_picture(element, attribute, value):
    """nh3's attribute filter: an href off a link points inside the picture (#id), or it goes."""
    if attribute == "href" and element not in allowlist()["links"] and not value.startswith("#"):
        return None
    return value
