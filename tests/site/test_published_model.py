"""The site serves the course's GPT under its key, where the page's Python and the notebooks are told to look."""

import json
from pathlib import Path

from deepdive import pretrained
from deepdive.data import read_names
from deepdive.gpt import Config
from lessonkit.mkdocs.config import read_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_built_site_serves_the_course_gpt_under_its_key(built_site, course_gpt):
    models = read_settings(ROOT / "mkdocs.yml")[1].env[pretrained.MODELS]
    key = pretrained.cache_key(read_names(), Config(), pretrained.STEPS, pretrained.LEARNING_RATE, pretrained.SEED)
    [published] = (built_site / models).iterdir()
    assert published.name == pretrained.published_name(key)
    record = json.loads(published.read_text())
    assert record["key"] == key
    assert record["val_loss"] == course_gpt.val_loss and len(record["held_out_losses"]) == 1000
