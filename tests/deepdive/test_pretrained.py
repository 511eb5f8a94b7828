"""trained(): one training run per model, kept on disk under a key of code, config, settings and data."""

import logging
import math
import statistics
import subprocess
import sys
from collections import Counter

import pytest

from deepdive import gpt, pretrained
from deepdive.data import read_names, split
from deepdive.gpt import Config
from deepdive.pretrained import cache_key, trained, write_atomically

NAMES = ["abba", "dad", "cab", "bad", "add", "acdc"] * 3
SMALL = Config(vocab_size=5, block_size=6, n_embd=4, n_head=2, n_layer=1)


@pytest.fixture(autouse=True)
def few_held_out_names(monkeypatch):
    monkeypatch.setattr(pretrained, "HELD_OUT", 3)


@pytest.fixture
def training_runs(monkeypatch):
    """Counts the calls of gpt.train that trained() makes."""
    calls = []
    real_train = gpt.train

    def counted(*args, **kwargs):
        calls.append(args)
        return real_train(*args, **kwargs)

    monkeypatch.setattr(gpt, "train", counted)
    return calls


def weights(run):
    return [p.data for p in run.model.parameters()]


def test_the_second_call_loads_what_the_first_trained(tmp_path, training_runs):
    first = trained(NAMES, SMALL, steps=4, folder=tmp_path)
    second = trained(NAMES, SMALL, steps=4, folder=tmp_path)
    assert len(training_runs) == 1
    assert weights(first) == weights(second)
    assert first.losses == second.losses and first.steps == 4
    assert first.val_loss == second.val_loss and second.seconds > 0
    assert first.held_out_losses == second.held_out_losses and len(first.held_out_losses) == 3
    assert first.val_loss == sum(first.held_out_losses) / 3


def test_training_is_deterministic(tmp_path, training_runs):
    one = trained(NAMES, SMALL, steps=4, folder=tmp_path / "one")
    two = trained(NAMES, SMALL, steps=4, folder=tmp_path / "two")
    assert len(training_runs) == 2
    assert weights(one) == weights(two)


@pytest.mark.parametrize("change", [
    {"config": Config(vocab_size=5, block_size=6, n_embd=4, n_head=1, n_layer=1)},
    {"steps": 5},
    {"lr": 0.02},
    {"seed": 7},
    {"names": NAMES[:-1]},
])
def test_a_change_of_config_settings_or_data_trains_again(tmp_path, training_runs, change):
    trained(NAMES, SMALL, steps=4, folder=tmp_path)
    settings = {"names": NAMES, "config": SMALL, "steps": 4, **change}
    trained(settings.pop("names"), settings.pop("config"), folder=tmp_path, **settings)
    assert len(training_runs) == 2


def test_a_change_of_the_code_trains_again(tmp_path, training_runs, monkeypatch):
    source = tmp_path / "model_code.py"
    source.write_text("version = 1\n")
    monkeypatch.setattr(pretrained, "CODE", [*pretrained.CODE, source])
    trained(NAMES, SMALL, steps=4, folder=tmp_path / "cache")
    trained(NAMES, SMALL, steps=4, folder=tmp_path / "cache")
    source.write_text("version = 2\n")
    trained(NAMES, SMALL, steps=4, folder=tmp_path / "cache")
    assert len(training_runs) == 2


# Trains for two steps in a fresh Python, then prints the file of every deepdive module loaded.
# The package's __init__ is left out: it loads the lessons' drawing modules, which training never calls.
TRAIN_AND_LIST_MODULES = r"""
import importlib.util, sys, types
package = types.ModuleType("deepdive")
package.__path__ = importlib.util.find_spec("deepdive").submodule_search_locations
sys.modules["deepdive"] = package
from deepdive.data import read_names, split
from deepdive.gpt import Config
from deepdive import pretrained
from deepdive.pretrained import trained
pretrained.HELD_OUT = 3
trained(["abba", "dad", "cab", "bad"] * 30, Config(vocab_size=5, block_size=6, n_embd=4, n_head=2), steps=2,
        folder=sys.argv[1])
print("\n".join(module.__file__ for name, module in sys.modules.items() if name.startswith("deepdive.")))
"""


def test_the_key_covers_every_deepdive_module_that_training_imports(tmp_path):
    run = subprocess.run([sys.executable, "-c", TRAIN_AND_LIST_MODULES, str(tmp_path)],
                         capture_output=True, text=True, check=True)
    imported = {pretrained.Path(file) for file in run.stdout.splitlines()}
    assert imported == set(pretrained.CODE)


def test_equal_inputs_give_equal_keys():
    assert cache_key(NAMES, SMALL, 4, 0.01, 0) == cache_key(list(NAMES), SMALL, 4, 0.01, 0)


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path):
    path = tmp_path / "weights.json"
    write_atomically(path, "old")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "new \ud800")  # a lone surrogate, which UTF-8 cannot encode
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]


def test_a_write_that_cannot_replace_its_target_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "weights.json"
    (path / "inside").mkdir(parents=True)  # a folder that is not empty: no file can replace it
    with pytest.raises(OSError):
        write_atomically(path, "new")
    assert list(tmp_path.iterdir()) == [path]


def test_progress_goes_to_the_log_file_not_to_the_output(tmp_path, capfd):
    trained(NAMES, SMALL, steps=3, folder=tmp_path)
    printed = capfd.readouterr()
    assert printed.out == "" and printed.err == ""
    [log] = tmp_path.glob("gpt-*/train.log")
    lines = log.read_text().splitlines()
    assert lines[0].startswith("step    1 / 3  loss ")
    assert lines[-1].startswith("trained in ")


def test_the_first_and_every_fiftieth_step_are_logged(tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="deepdive.training")
    monkeypatch.setattr(pretrained, "LOG_EVERY", 2)
    trained(NAMES, SMALL, steps=5, folder=tmp_path)
    logged = [record.getMessage() for record in caplog.records if record.name == "deepdive.training"]
    steps = [line.split()[:4] for line in logged if line.startswith("step")]
    assert steps == [["step", "1", "/", "5"], ["step", "2", "/", "5"], ["step", "4", "/", "5"]]


def test_the_cache_folder_comes_from_the_environment(tmp_path, monkeypatch, training_runs):
    monkeypatch.setenv("DEEPDIVE_CACHE", str(tmp_path))
    trained(NAMES, SMALL, steps=2)
    assert list(tmp_path.glob("gpt-*/weights.json"))


def test_the_course_model_learns_names(course_gpt):
    """Chapter 1 and chapter 4's model, with their settings (the session's fixture, tests/conftest.py)."""
    run = course_gpt
    assert run.steps == pretrained.STEPS and len(run.model.parameters()) == 4192
    assert len(run.held_out_losses) == 1000
    assert run.val_loss < 2.7  # far below a uniform guess over 27 tokens, -log(1/27) = 3.2958
    assert abs(run.val_loss - sum(run.losses[-100:]) / 100) < 0.2  # held-out names score like trained ones


def test_the_course_model_beats_counting_by_more_than_two_paired_standard_errors(course_gpt):
    """Lesson 4.5's claim, on the 1,000 held-out names: the GPT's loss is lower than that of the bigram
    counted on the same training names with chapter 3's add-one smoothing, and the mean per-name
    difference is more than twice its standard error."""
    training, held_out = split(read_names())
    pairs = Counter((a, b) for name in training for a, b in zip("." + name, name + "."))
    firsts = Counter(a for name in training for a in "." + name)

    def counted(name):
        steps = list(zip("." + name, name + "."))
        return -sum(math.log((pairs[step] + 1) / (firsts[step[0]] + 27)) for step in steps) / len(steps)

    differences = [counted(name) - loss for name, loss in zip(held_out, course_gpt.held_out_losses)]
    standard_error = statistics.stdev(differences) / math.sqrt(len(differences))
    assert statistics.mean(differences) > 2 * standard_error


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder served over HTTP, whose address deepdive gets in DEEPDIVE_MODELS, as in the page and a notebook."""
    from local_server import serving

    folder = tmp_path / "models"
    folder.mkdir()
    with serving(folder) as url:
        monkeypatch.setenv(pretrained.MODELS, url)
        yield folder


def publish_small(site, folder, steps=4):
    """Train the small model into `folder` and publish it in `site`, as the site's build does for the course's."""
    run = trained(NAMES, SMALL, steps=steps, folder=folder)
    key = cache_key(NAMES, SMALL, steps, pretrained.LEARNING_RATE, pretrained.SEED)
    [stored] = folder.glob("gpt-*/weights.json")
    (site / pretrained.published_name(key)).write_text(stored.read_text())
    return run


def test_a_model_the_site_published_is_downloaded_not_trained(site, tmp_path, training_runs):
    build = publish_small(site, tmp_path / "build")
    learner = trained(NAMES, SMALL, steps=4, folder=tmp_path / "learner")
    assert len(training_runs) == 1  # the build's run only
    assert weights(learner) == weights(build) and learner.held_out_losses == build.held_out_losses


def test_other_settings_than_the_published_ones_train_here(site, tmp_path, training_runs, caplog):
    caplog.set_level(logging.INFO, logger="deepdive.training")
    publish_small(site, tmp_path / "build", steps=4)
    trained(NAMES, SMALL, steps=3, folder=tmp_path / "learner")  # fewer steps: another key, not published
    assert len(training_runs) == 2
    assert any("no published model at" in record.getMessage() and "training it here" in record.getMessage()
               for record in caplog.records)


def test_a_published_file_of_other_settings_is_refused_naming_its_address(site, tmp_path):
    publish_small(site, tmp_path / "build", steps=4)
    [published] = site.iterdir()
    key = cache_key(NAMES, SMALL, 5, pretrained.LEARNING_RATE, pretrained.SEED)
    published.rename(site / pretrained.published_name(key))  # the 4-step model, under the 5-step model's name
    with pytest.raises(ValueError, match=f"{pretrained.published_name(key)} holds a model for other settings"):
        trained(NAMES, SMALL, steps=5, folder=tmp_path / "learner")


def test_download_false_trains_here_even_when_the_site_published_the_model(site, tmp_path, training_runs):
    build = publish_small(site, tmp_path / "build")
    learner = trained(NAMES, SMALL, steps=4, folder=tmp_path / "learner", download=False)
    assert len(training_runs) == 2
    assert weights(learner) == weights(build)  # fixed seeds: the same model, trained twice
