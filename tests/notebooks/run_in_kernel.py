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


def printed(cell):
    """Everything a code cell printed, as one string."""
    return "".join(output.get("text", "") for output in cell.outputs)
