"""The site's hook modules live in docs/overrides/hooks, where MkDocs imports them by path.

MkDocs puts that folder on sys.path while it loads a hook, so the hooks import
their sibling modules by name; the tests here import them the same way.
"""

import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parents[2] / "docs" / "overrides" / "hooks"
sys.path.append(str(HOOKS))
