"""Run a notebook the way a learner does: top to bottom, in a fresh kernel."""

from nbclient import NotebookClient


def run(notebook, cwd):
    """Execute every cell in a fresh python3 kernel started in cwd; return the notebook.

    Run from .venv, jupyter_client starts the kernel with this same interpreter,
    so the kernel imports the deepdive installed there. A failing cell raises
    nbclient's CellExecutionError, which shows the cell and its traceback.
    """
    client = NotebookClient(notebook, kernel_name="python3", timeout=60,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return notebook


RICH = ("image/svg+xml", "image/png", "text/html")


def printed(cell):
    """Everything a code cell printed, as one string, with each picture or HTML it displayed as its text
    stand-in, as a page's output fence shows them (a plain value that a notebook displays is not printed there)."""
    def text(output):
        data = output.get("data", {})
        return data["text/plain"] + "\n" if any(mime in data for mime in RICH) else output.get("text", "")
    return "".join(map(text, cell.outputs))
