"""A Jupyter kernel in a virtual environment that holds only the kernel: no deepdive, no project.

The kernel's packages (ipykernel and what it needs) are installed once into
.cache/notebook-kernel/, in a folder named by the pinned versions. Each notebook
then gets a fresh, empty virtual environment of its own that sees those packages
through a .pth file, so whatever the notebook installs lands in its own
environment, and the cached one stays as it was.
"""

import fcntl
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[2]
KERNEL_PACKAGES = ["ipykernel==7.4.0"]
PYTHON = f"python{sys.version_info.major}.{sys.version_info.minor}"
CACHE = ROOT / ".cache" / "notebook-kernel" / f"{PYTHON}-{'-'.join(KERNEL_PACKAGES).replace('==', '-')}"


def site_packages(venv):
    return Path(venv) / "lib" / PYTHON / "site-packages"


def kernel_packages():
    """The cached environment that holds the kernel's packages; made on first use, by one thread or process (pytest
    -n runs tests in several) at a time: the others wait on its lock file."""
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(CACHE.with_name(CACHE.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return made_kernel_packages()


def made_kernel_packages():
    if not CACHE.exists():
        building = CACHE.with_name(CACHE.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", building], check=True)
        subprocess.run([building / "bin" / "python", "-m", "pip", "install", "--quiet", *KERNEL_PACKAGES], check=True)
        building.rename(CACHE)  # venv's scripts name their folder, but the kernel runs `python -m`
    return site_packages(CACHE)


def fresh_environment(folder):
    """A new virtual environment in folder that has the kernel's packages and nothing else: its Python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", folder], check=True)
    (site_packages(folder) / "kernel.pth").write_text(f"{kernel_packages()}\n")
    return Path(folder) / "bin" / "python"


def kernel_manager(python, folder):
    """A KernelManager that starts `python -m ipykernel_launcher` (a kernel spec written into folder)."""
    spec = Path(folder) / "kernels" / "fresh"
    spec.mkdir(parents=True)
    (Path(folder) / "home").mkdir(exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh", "language": "python",
        # a home of its own: nothing a learner's machine would not have (no model in ~/.cache/deepdive, say)
        "env": {"HOME": str(Path(folder) / "home"), "DEEPDIVE_CACHE": str(Path(folder) / "home" / ".cache" / "deepdive")},
    }))
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    return KernelManager(kernel_name="fresh", kernel_spec_manager=specs)
