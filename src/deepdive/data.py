"""Text as numbers: the course's names, one held-out split of them, a vocabulary of characters,
and the examples a language model learns from."""

import random
from importlib import resources

END = "."  # one token marks both where a word starts and where it ends
NAMES = "names.txt"  # package data of deepdive, with its licence and source in names-LICENSE.txt
HELD_OUT = 1000  # names every model of the course is measured on and never trained on
SPLIT_SEED = 42


def read_words(path):
    """The words of a text file, one per line."""
    with open(path, encoding="utf-8") as file:
        return file.read().splitlines()


def read_names():
    """The course's names data set: 32,033 names, in the order of the file.

    It is part of deepdive, next to this module, so it is there wherever
    deepdive is installed: in the course's checkout, in the page's Python (the
    site's wheel carries it) and in a downloaded notebook (so does the wheel its
    first cell installs). To read another list of words, use read_words(path).
    """
    return resources.files("deepdive").joinpath(NAMES).read_text(encoding="utf-8").split()


def split(words, held_out=HELD_OUT, seed=SPLIT_SEED):
    """(training, held_out): a copy of the words shuffled with the seed, then cut after `held_out` words.

    The held-out words come first in the shuffle. Every model of the course,
    the counted bigram, the MLP and the GPT, is trained on `training` only and
    measured on the same `held_out` words, so their losses can be compared.
    """
    words = list(words)
    if not 0 < held_out < len(words):
        raise ValueError(f"cannot hold out {held_out} of {len(words)} words: keep some for each side")
    random.Random(seed).shuffle(words)
    return words[held_out:], words[:held_out]


class Vocabulary:
    """The characters of some words, each with a number: END is 0, then the rest in sorted order."""

    def __init__(self, words):
        self.itos = [END] + sorted(set("".join(words)) - {END})
        self.stoi = {ch: i for i, ch in enumerate(self.itos)}

    def encode(self, text):
        """The number of each character in text."""
        unknown = sorted(set(text) - self.stoi.keys())
        if unknown:
            raise ValueError(f"{text!r} has characters that are not in the vocabulary: {', '.join(map(repr, unknown))}")
        return [self.stoi[ch] for ch in text]

    def decode(self, ids):
        """The characters with these numbers, as one string."""
        return "".join(self.itos[i] for i in ids)

    def __len__(self):
        return len(self.itos)

    def __repr__(self):
        return f"Vocabulary({''.join(self.itos)!r})"


def with_ends(word):
    """The word with END before and after it, to mark where it starts and where it ends."""
    return END + word + END


def examples(words, vocab, context_size):
    """(context, next) pairs: every character of every word, and END after it,
    with the numbers of the context_size characters before it. END pads the
    context at the start of a word.
    """
    pairs = []
    for word in words:
        context = [0] * context_size
        for i in vocab.encode(word + END):
            pairs.append((tuple(context), i))
            context = context[1:] + [i]
    return pairs
