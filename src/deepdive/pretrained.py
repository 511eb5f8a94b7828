"""The course's GPT, trained once and kept on disk, so that every page that needs it shares one training run.

`trained()` trains deterministically (fixed seeds, the same steps in the
same order) and stores the weights in a folder named by a key made from
everything that decides them: the model's code (every deepdive module that
training imports, listed in CODE), the config, the training settings and a
hash of the data. Any page or notebook that asks for the same model gets the
stored weights back in a second; a change to any of those inputs trains afresh.

Where the folder is: $DEEPDIVE_CACHE if it is set; otherwise `.cache/deepdive`
in the checkout deepdive runs from (next to its pyproject.toml), which the
site's workflow keeps between builds; otherwise `~/.cache/deepdive`.

The course's site publishes the model its build trained (`publish`), as
`gpt-<key>.json` in a folder whose address the page's Python and every
downloaded notebook get in $DEEPDIVE_MODELS. When that is set and the folder
holds a model under the same key, `trained()` downloads it instead of
training: chapter 1's page and a notebook of chapter 4 get the build's model
in a second. A model with other settings (fewer steps, say) is not published,
so it trains where it is asked for, in the page too.

Training writes its progress (step and loss) to `train.log` in that folder,
and every 50th step through `logging` (the logger `deepdive.training`), not
to the screen, so that a page shows only what it prints itself; a site's
build shows the logged steps in its log, and the page shows them as progress
while it trains. Two processes that ask at once do not both train: the second
waits for the first.
"""

import contextlib
import hashlib
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from deepdive import data, engine, gpt, loss, nn
from deepdive.data import Vocabulary, read_names, split, with_ends  # read_names and split: also imported from here
from deepdive.engine import no_grad
from deepdive.gpt import GPT, Config

CHECKOUT = Path(__file__).resolve().parents[2]  # the course's checkout, when deepdive runs from one
CODE = [Path(module.__file__) for module in (engine, nn, loss, gpt, data)] + [Path(__file__)]  # what training runs
STEPS = 600
LEARNING_RATE = 0.01
SEED = 42
HELD_OUT = data.HELD_OUT  # names held out (data.split), to measure the loss on names the model never saw
LOG_EVERY = 50  # steps between two lines of progress logged
SCORE_LOG_EVERY = 250  # held-out names between two lines of progress logged
MODELS = "DEEPDIVE_MODELS"  # the environment variable with the address of a site's published models
progress = logging.getLogger("deepdive.training")


@dataclass
class Trained:
    """A trained GPT and what its training recorded."""

    model: GPT
    vocab: Vocabulary
    losses: list         # the training loss of each step
    val_loss: float      # the mean loss on the held-out names
    held_out_losses: list  # the loss on each held-out name, in data.split's order
    seconds: float       # the processor time training took, on the machine that trained it

    @property
    def steps(self):
        return len(self.losses)


def trained(names=None, config=Config(), steps=STEPS, lr=LEARNING_RATE, seed=SEED, folder=None, download=True):
    """The GPT trained on `names` (the course's names data set by default) with these settings.

    It comes from the cache; else from the site that published it (downloaded(),
    unless download=False); else it is trained now. Either way it is cached.
    """
    names = read_names() if names is None else names
    folder = Path(folder or default_folder())
    key = cache_key(names, config, steps, lr, seed)
    entry = folder / short_name(key)
    folder.mkdir(parents=True, exist_ok=True)
    with only_one_at_a_time(folder / f"{short_name(key)}.lock"):
        if not (entry / "weights.json").exists():
            entry.mkdir(exist_ok=True)
            record = (download and downloaded(key)) or train_and_record(names, config, steps, lr, seed, entry / "train.log")
            write_atomically(entry / "weights.json", json.dumps({"key": key, **record}))
    return load(json.loads((entry / "weights.json").read_text(encoding="utf-8")), names)


@contextlib.contextmanager
def only_one_at_a_time(path):
    """Hold the lock file `path` while the block runs: another process asking for it waits.

    Where there are no file locks (Windows, a browser's Python), there is one
    process, and nothing to wait for.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if this process dies
        yield


def short_name(key):
    """A model's name in the cache and on the site: its key, shortened, so the name changes whenever the weights do."""
    return f"gpt-{key[:20]}"


def published_name(key):
    """The file name a model is published under."""
    return f"{short_name(key)}.json"


def publish(folder):
    """Put the course's GPT (trained() with its defaults) into `folder`, as a site serves it for downloaded().

    It is trained first if nothing has stored it yet. Returns the file written.
    """
    trained()
    key = cache_key(read_names(), Config(), STEPS, LEARNING_RATE, SEED)
    path = Path(folder) / published_name(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (Path(default_folder()) / short_name(key) / "weights.json").read_text(encoding="utf-8"))
    return path


def downloaded(key):
    """The record published under `key` at $DEEPDIVE_MODELS, or None when there is none (or no address is set)."""
    address = os.environ.get(MODELS)
    if not address:
        return None
    url = address.rstrip("/") + "/" + published_name(key)
    try:
        record = json.loads(fetch_text(url))
    except (OSError, ValueError) as error:  # not published (404), or the site cannot be reached: train instead
        progress.info(f"no published model at {url} ({error}): training it here")
        return None
    if record.get("key") != key:
        raise ValueError(f"{url} holds a model for other settings (key {record.get('key')!r}, not {key!r})")
    progress.info(f"downloaded the trained model from {url}")
    return record


def fetch_text(url):
    """The text at `url`: through the browser when Python runs in one (Pyodide, JupyterLite), else urllib.

    Either way an answer other than 200 OK raises OSError, naming it.
    """
    if sys.platform == "emscripten":
        from js import XMLHttpRequest  # a synchronous request, which a Web Worker may make
        request = XMLHttpRequest.new()
        request.open("GET", url, False)
        request.send(None)
        if request.status != 200:
            raise OSError(f"HTTP {request.status} {request.statusText}")
        return request.responseText
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def train_and_record(names, config, steps, lr, seed, log_path):
    vocab = Vocabulary(names)
    training, validation = split(names, HELD_OUT)  # the course's one split, whatever the training seed
    model = GPT(config, seed=seed)
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.process_time()  # processor time: what the work costs, whatever else the machine runs
        losses = gpt.train(model, vocab, training, steps, lr=lr, log=Progress(log, LOG_EVERY))
        seconds = time.process_time() - start
        held_out_losses = []
        with no_grad():  # a loss to measure, not to train on: see engine.no_grad
            for name in validation:
                held_out_losses.append(model.loss(vocab.encode(with_ends(name))).data)
                if len(held_out_losses) % SCORE_LOG_EVERY == 0:
                    progress.info(f"held-out loss measured on {len(held_out_losses)} / {len(validation)} names")
        val_loss = sum(held_out_losses) / len(held_out_losses)
        print(f"trained in {seconds:.1f} s; held-out loss {val_loss:.4f}", file=log)
    return {
        "config": asdict(config),
        "losses": losses,
        "val_loss": val_loss,
        "held_out_losses": held_out_losses,
        "seconds": seconds,
        "weights": {name: [[p.data for p in row] for row in w] for name, w in model.matrices().items()},
    }


class Progress:
    """A file for train()'s progress: every line goes into `file`, every `every`-th is logged too."""

    def __init__(self, file, every):
        self.file, self.every, self.lines = file, every, 0

    def write(self, text):
        self.file.write(text)
        if text.strip():
            self.lines += 1
            if self.lines == 1 or self.lines % self.every == 0:  # the first step too: training has begun
                progress.info(text.strip())

    def flush(self):
        self.file.flush()


def load(record, names):
    model = GPT(Config(**record["config"]))
    for name, w in model.matrices().items():
        for row, numbers in zip(w, record["weights"][name]):
            for p, x in zip(row, numbers):
                p.data = x
    return Trained(model, Vocabulary(names), record["losses"], record["val_loss"], record["held_out_losses"],
                   record["seconds"])


def cache_key(names, config, steps, lr, seed, code=None):
    """A hash of everything the trained weights depend on."""
    inputs = {
        "code": [hashlib.sha256(path.read_bytes()).hexdigest() for path in code or CODE],
        "config": asdict(config),
        "steps": steps,
        "lr": lr,
        "seed": seed,
        "held_out": HELD_OUT,
        "data": hashlib.sha256("\n".join(names).encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def default_folder():
    """$DEEPDIVE_CACHE, or the checkout's .cache/deepdive, or the user's ~/.cache/deepdive."""
    if os.environ.get("DEEPDIVE_CACHE"):
        return Path(os.environ["DEEPDIVE_CACHE"])
    if (CHECKOUT / "pyproject.toml").exists():
        return CHECKOUT / ".cache" / "deepdive"
    return Path.home() / ".cache" / "deepdive"


def write_atomically(path, text):
    """Write the whole file or nothing: a reader never sees half of it, and a failed write leaves no part behind."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # one step: path holds the old text or the new, never a mix
    finally:
        partial.unlink(missing_ok=True)  # gone already, unless the write failed
