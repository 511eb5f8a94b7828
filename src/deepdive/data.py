"""Text as numbers: a vocabulary of characters, and the examples a language model learns from."""

END = "."  # one token marks both where a word starts and where it ends


def read_words(path):
    """The words of a text file, one per line."""
    with open(path, encoding="utf-8") as file:
        return file.read().splitlines()


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
