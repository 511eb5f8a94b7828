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

Training writes its progress (step and loss) to `train.log` in that folder,
and every 50th step through `logging` (the logger `deepdive.training`), not
to the screen, so that a page shows only what it prints itself; a site's
build shows the logged steps in its log. Two
processes that ask at once do not both train: the second waits for the first.
"""

import fcntl
import hashlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from deepdive import data, engine, gpt, loss, nn
from deepdive.data import NAMES, Vocabulary, read_names, split, with_ends  # read_names and split: also imported from here
from deepdive.gpt import GPT, Config

CHECKOUT = Path(__file__).resolve().parents[2]  # the course's checkout, when deepdive runs from one
CODE = [Path(module.__file__) for module in (engine, nn, loss, gpt, data)] + [Path(__file__)]  # what training runs
STEPS = 600
LEARNING_RATE = 0.01
SEED = 42
HELD_OUT = data.HELD_OUT  # names held out (data.split), to measure the loss on names the model never saw
LOG_EVERY = 50  # steps between two lines of progress logged


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


def trained(names=None, config=Config(), steps=STEPS, lr=LEARNING_RATE, seed=SEED, folder=None):
    """The GPT trained on `names` (the course's names data set by default) with these settings.

    It comes from the cache, or is trained now and cached.
    """
    names = read_names() if names is None else names
    folder = Path(folder or default_folder())
    key = cache_key(names, config, steps, lr, seed)
    entry = folder / f"gpt-{key[:20]}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"gpt-{key[:20]}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even if this process dies
        if not (entry / "weights.json").exists():
            entry.mkdir(exist_ok=True)
            record = train_and_record(names, config, steps, lr, seed, entry / "train.log")
            write_atomically(entry / "weights.json", json.dumps(record))
    return load(json.loads((entry / "weights.json").read_text(encoding="utf-8")), names)


def train_and_record(names, config, steps, lr, seed, log_path):
    vocab = Vocabulary(names)
    training, validation = split(names, HELD_OUT)  # the course's one split, whatever the training seed
    model = GPT(config, seed=seed)
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.process_time()  # processor time: what the work costs, whatever else the machine runs
        losses = gpt.train(model, vocab, training, steps, lr=lr, log=Progress(log, LOG_EVERY))
        seconds = time.process_time() - start
        held_out_losses = [model.loss(vocab.encode(with_ends(name))).data for name in validation]
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
            if self.lines % self.every == 0:
                logging.getLogger("deepdive.training").info(text.strip())

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
