import subprocess
import sys
import textwrap

import pytest
from lessonkit import AcceptRefused, accept_page, parse_page, run_page


BEFORE = """\
# Outputs to fix

Prose   with trailing spaces   
and a [link](other.md).

```python
print("new")
```

```output
old
```

```python
print("never had a fence")
```
Prose right after.

```python
x = 1
```

```output
x is silent now
```

??? question "Reveal"

    ```python
    print("right")
    ```

    ```output
    right
    ```
"""

AFTER = """\
# Outputs to fix

Prose   with trailing spaces   
and a [link](other.md).

```python
print("new")
```

```output
new
```

```python
print("never had a fence")
```

```output
never had a fence
```

Prose right after.

```python
x = 1
```

??? question "Reveal"

    ```python
    print("right")
    ```

    ```output
    right
    ```
"""


def accept(text, tmp_path):
    page = parse_page(text, "page.md")
    return accept_page(page, run_page(page, tmp_path))


def test_accept_rewrites_only_the_output_fences(tmp_path):
    assert accept(BEFORE, tmp_path) == AFTER


def test_accepting_twice_changes_nothing(tmp_path):
    assert accept(AFTER, tmp_path) == AFTER


def test_accept_refuses_a_page_whose_snippet_raises(tmp_path):
    with pytest.raises(AcceptRefused, match=r"page\.md:5: raised RuntimeError"):
        accept('```python\nprint(1)\n```\n\n```python\nraise RuntimeError("no")\n```\n', tmp_path)


def lessonkit(*arguments, cwd):
    return subprocess.run([sys.executable, "-m", "lessonkit", *arguments], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line_checks_then_accepts_then_checks_clean(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_bytes(BEFORE.replace("\n", "\r\n").encode())

    check = lessonkit("check", "docs", cwd=tmp_path)
    assert check.returncode == 1
    assert "docs/page.md:6: printed something other than its output fence" in check.stderr
    assert "-old\n+new" in check.stderr

    assert lessonkit("accept", "docs", cwd=tmp_path).returncode == 0
    accepted = (docs / "page.md").read_bytes().decode()
    assert accepted == AFTER.replace("\n", "\r\n")  # the page's line ends, the new lines' too

    again = lessonkit("check", "docs", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 snippets run" in again.stderr  # the accepted page came from the cache


def test_the_command_line_names_a_page_it_cannot_parse(tmp_path):
    (tmp_path / "broken.md").write_text(textwrap.dedent("""\
        Text

        ```python
        print(1)
        """))
    result = lessonkit("check", "broken.md", cwd=tmp_path)
    assert result.returncode == 1
    assert "broken.md:3: the ``` fence opened here is never closed" in result.stderr


def test_accept_leaves_a_page_with_an_unattached_output_fence_alone(tmp_path):
    """An output fence after a paragraph is an error to fix by hand, never a second fence beside a stale one."""
    (tmp_path / "docs").mkdir()
    text = "```python\nprint('new')\n```\n\nA paragraph.\n\n```output\nold\n```\n"
    (tmp_path / "docs" / "page.md").write_text(text)
    result = lessonkit("accept", "docs", cwd=tmp_path)
    assert result.returncode == 1
    assert "docs/page.md:7: this output fence follows no snippet" in result.stderr
    assert (tmp_path / "docs" / "page.md").read_text() == text
