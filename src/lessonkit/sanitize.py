"""Markup that a snippet displayed (SVG or HTML), made safe to put in a page, with nh3 (the ammonia sanitizer).

What stays is an allowlist: HTML's safe tags and attributes (nh3's defaults),
the SVG elements and presentation attributes that charts and diagrams use,
and a few CSS properties in style attributes. So no script, no event handler
(onload=...), no javascript: URL, no <style> that would restyle the whole
page, and nothing that loads from elsewhere (an <img>, a CSS url()) reaches
the page.
"""

import nh3

SVG_TAGS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "clipPath", "mask", "marker", "pattern",
    "linearGradient", "radialGradient", "stop", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textPath",
}
SVG_ATTRIBUTES = {
    "xmlns", "xmlns:xlink", "version", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "transform", "href", "xlink:href", "clip-path",
    "clipPathUnits", "mask", "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "refX",
    "refY", "orient", "patternUnits", "gradientUnits", "gradientTransform", "offset", "stop-color", "stop-opacity",
    "fill", "fill-opacity", "fill-rule", "clip-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "font-family",
    "font-size", "font-style", "font-weight", "text-anchor", "dominant-baseline", "dx", "dy", "role",
    "aria-label", "style", "class", "id",
}
STYLE_PROPERTIES = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "color",
    "font", "font-family", "font-size", "font-style", "font-weight", "text-anchor", "text-align",
    "width", "height", "max-width", "min-width", "display", "border", "border-collapse", "padding", "margin",
}
NO_REQUESTS = {"img"}  # a page loads nothing from elsewhere
DROPPED_WITH_CONTENT = {"script", "style", "metadata"}  # a figure's <metadata> holds its producer and date


def sanitize(markup):
    """The SVG or HTML with everything outside the allowlist removed."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = attributes.get("*", set()) | SVG_ATTRIBUTES
    return nh3.clean(markup, tags=(nh3.ALLOWED_TAGS - NO_REQUESTS) | SVG_TAGS, attributes=attributes,
                     clean_content_tags=DROPPED_WITH_CONTENT, filter_style_properties=STYLE_PROPERTIES,
                     strip_comments=True, link_rel=None)
