"""deepdive.data: the vocabulary and the (context, next) examples that chapter 3's models learn from.

Chapter 4's GPT reads names through the same vocabulary, so its behaviour is tested here only.
"""

import pytest

from deepdive.data import END, HELD_OUT, SPLIT_SEED, Vocabulary, examples, read_names, read_words, split, with_ends


def test_the_end_token_is_0_and_the_characters_follow_in_sorted_order():
    vocab = Vocabulary(["emma", "ava", "bob"])
    assert vocab.itos == [END, "a", "b", "e", "m", "o", "v"]
    assert vocab.stoi == {ch: i for i, ch in enumerate(vocab.itos)}
    assert len(vocab) == 7
    assert repr(vocab) == "Vocabulary('.abemov')"


def test_encode_and_decode_are_inverse():
    vocab = Vocabulary(["emma", "olivia"])
    for text in ["emma", "olivia", "am.", ""]:
        assert vocab.decode(vocab.encode(text)) == text
    assert vocab.encode("mole") == [vocab.stoi[ch] for ch in "mole"]


def test_with_ends_puts_the_end_token_0_before_and_after_a_word():
    vocab = Vocabulary(["emma", "olivia"])
    assert with_ends("emma") == ".emma."
    ids = vocab.encode(with_ends("emma"))
    assert ids == [0, vocab.stoi["e"], vocab.stoi["m"], vocab.stoi["m"], vocab.stoi["a"], 0]
    assert vocab.decode(ids[1:-1]) == "emma"


def test_an_unknown_character_is_named_in_the_error():
    vocab = Vocabulary(["zoe"])
    with pytest.raises(ValueError, match=r"'zoë' has characters that are not in the vocabulary: 'ë'"):
        vocab.encode("zoë")
    with pytest.raises(ValueError, match=r"'.zoë.' has characters that are not in the vocabulary: 'ë'"):
        vocab.encode(with_ends("zoë"))


def test_a_word_gives_one_example_per_letter_and_one_for_its_end():
    vocab = Vocabulary(["emma"])
    pairs = examples(["emma"], vocab, context_size=1)
    assert [(vocab.decode(context), vocab.decode([nxt])) for context, nxt in pairs] == [
        (".", "e"), ("e", "m"), ("m", "m"), ("m", "a"), ("a", "."),
    ]


def test_a_longer_context_is_padded_with_the_end_token_at_the_start_of_each_word():
    vocab = Vocabulary(["emma", "ava"])
    pairs = examples(["emma", "ava"], vocab, context_size=3)
    shown = [(vocab.decode(context), vocab.decode([nxt])) for context, nxt in pairs]
    assert shown == [
        ("...", "e"), ("..e", "m"), (".em", "m"), ("emm", "a"), ("mma", "."),
        ("...", "a"), ("..a", "v"), (".av", "a"), ("ava", "."),
    ]
    assert all(isinstance(context, tuple) for context, _ in pairs)


def test_read_words_reads_one_word_per_line(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("emma\nolivia\nava", encoding="utf-8")
    assert read_words(path) == ["emma", "olivia", "ava"]


def test_read_names_reads_the_courses_names():
    names = read_names()
    assert len(names) == 32033 and names[:3] == ["emma", "olivia", "ava"]


def test_split_holds_out_the_same_names_every_time_and_keeps_every_name_once():
    names = read_names()
    training, held_out = split(names)
    assert len(held_out) == HELD_OUT >= 1000 and len(training) == len(names) - HELD_OUT
    assert sorted(training + held_out) == sorted(names)
    assert split(list(names)) == (training, held_out)
    assert names == read_names()  # a copy is shuffled, never the list passed in


def test_split_by_another_seed_holds_out_other_names():
    words = [f"w{i}" for i in range(50)]
    assert split(words, 10, seed=1)[1] != split(words, 10, seed=2)[1]
    assert split(words, 10) == split(words, 10, seed=SPLIT_SEED)


@pytest.mark.parametrize("held_out", [0, 3])
def test_split_keeps_some_words_on_each_side(held_out):
    with pytest.raises(ValueError, match="cannot hold out"):
        split(["a", "b", "c"], held_out)
