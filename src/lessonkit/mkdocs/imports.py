"""What the page's Python can import: its standard library and the course's wheels, nothing else.

The page's Pyodide loads no package from anywhere but the site, so a snippet
that runs in the page and imports numpy, or a helper module next to the page,
would fail there while it passes in the build. The plugin finds such imports
in the code of every snippet that runs in the page, before a learner does.
"""

import ast
import sys


def top_level_imports(code):
    """(name, line) of each absolute import in the code: `import a.b` and `from a.b import c` give "a"."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []  # the run reports it
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def missing_imports(code, packages):
    """(name, line) of each import the page's Python cannot satisfy: not the standard library, not `packages`."""
    known = set(sys.stdlib_module_names) | set(packages) | {"__future__"}
    return [(name, line) for name, line in top_level_imports(code) if name not in known]
