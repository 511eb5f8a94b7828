"""The allowlist that the build (nh3, lessonkit/sanitize.py) and the page (DOMPurify, run.js) both apply.

That both sanitize a display to the same DOM is tests/browser/test_one_runtime.py's.
"""

import json
from importlib.resources import files

from lessonkit.sanitize import sanitize

ALLOWLIST = json.loads((files("lessonkit") / "assets" / "allowlist.json").read_text(encoding="utf-8"))


def test_no_allowed_element_loads_anything_or_can_shadow_the_documents_properties():
    # run.js turns off DOMPurify's check of ids against document's properties: only these elements could shadow one
    named = {"img", "form", "embed", "object", "iframe"}
    loads = {"image", "feImage", "script", "style", "link", "audio", "video", "source", "iframe", "foreignObject"}
    assert not (named | loads) & set(ALLOWLIST["tags"])
    assert not set(ALLOWLIST["dropped_with_content"]) & set(ALLOWLIST["tags"])  # nh3 refuses both at once
    assert set(ALLOWLIST["url_attributes"]) == {"href", "src"}  # the attributes ammonia checks as URLs


def test_a_picture_keeps_its_drawing_and_loses_what_could_run_or_load():
    clean = sanitize(
        '<svg viewBox="0 0 10 10" onload="steal()"><script>steal()</script><style>* { display: none }</style>'
        '<defs><linearGradient id="g"/></defs><a href="javascript:steal()"><circle r="4" style="fill: url(#g); '
        'position: fixed" onmouseover="steal()"/></a><use href="https://example.org/x.svg#a" xlink:href="#a"/>'
        '<a href="https://example.org/more"><text>more</text></a></svg>')
    assert clean == ('<svg viewBox="0 0 10 10"><defs><linearGradient id="g"></linearGradient></defs><a>'
                     '<circle r="4" style="fill:url(&quot;#g&quot;)"></circle></a><use xlink:href="#a"></use>'
                     '<a href="https://example.org/more"><text>more</text></a></svg>')
