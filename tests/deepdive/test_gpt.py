"""The GPT of deepdive.gpt: its gradients, its shape, its attention and its training, on tiny configs."""

import gc
import math
import random

import pytest

from deepdive import Value
from deepdive.data import Vocabulary, read_names
from deepdive.gpt import GPT, Adam, Config, causal_self_attention, parameter_count, sample, softmax, train
from deepdive.loss import cross_entropy

TINY = Config(vocab_size=5, block_size=6, n_embd=4, n_head=2, n_layer=2)
NAMES = ["abba", "dad", "cab", "bad", "add", "acdc"]


def test_backward_matches_finite_differences_in_every_matrix():
    model = GPT(Config(vocab_size=5, block_size=6, n_embd=4, n_head=2, n_layer=1), seed=1)
    tokens = [0, 1, 2, 2, 1, 0]
    model.zero_grad()
    model.loss(tokens).backward()
    h = 1e-6
    rng = random.Random(0)
    for name, w in model.matrices().items():
        for r, c in rng.sample([(r, c) for r in range(len(w)) for c in range(len(w[0]))], 6):
            p = w[r][c]
            x = p.data
            p.data = x + h
            up = model.loss(tokens).data
            p.data = x - h
            down = model.loss(tokens).data
            p.data = x
            numeric = (up - down) / (2 * h)
            assert math.isclose(p.grad, numeric, rel_tol=1e-4, abs_tol=1e-7), \
                f"d loss / d {name}[{r}][{c}]: backward {p.grad}, finite differences {numeric}"


@pytest.mark.parametrize("config", [TINY, Config(), Config(n_embd=8, n_head=2, n_layer=3, block_size=10)])
def test_parameter_count_formula_matches_the_model(config):
    assert parameter_count(config) == len(GPT(config).parameters())


def test_the_course_model_has_4192_parameters():
    # 27·16 token embeddings + 16·16 positions + 12·16² in the block + 27·16 for the logits
    assert parameter_count(Config()) == 27 * 16 + 16 * 16 + 12 * 16 * 16 + 27 * 16 == 4192


def test_a_later_token_does_not_change_earlier_logits():
    model = GPT(TINY)
    first = model([0, 1, 2, 3])
    second = model([0, 1, 2, 4])
    for position in range(3):
        assert [v.data for v in first[position]] == [v.data for v in second[position]]
    assert [v.data for v in first[3]] != [v.data for v in second[3]]


def test_attention_weights_are_causal_and_sum_to_one():
    rng = random.Random(0)
    xs = [[Value(rng.uniform(-1, 1)) for _ in range(4)] for _ in range(3)]
    identity = [[Value(float(i == j)) for j in range(4)] for i in range(4)]
    weights = []
    causal_self_attention(xs, identity, identity, identity, identity, n_head=2, weights=weights)
    assert len(weights) == 2  # one table per head
    for rows in weights:
        assert [len(row) for row in rows] == [1, 2, 3]  # position t looks at 0..t only
        for row in rows:
            assert math.isclose(sum(w.data for w in row), 1.0)


def test_the_model_collects_each_heads_attention():
    weights = []
    GPT(TINY)([0, 1, 2], attention=weights)
    assert len(weights) == TINY.n_layer * TINY.n_head


def test_cross_entropy_is_minus_log_softmax():
    logits = [Value(2.0), Value(-1.0), Value(0.5)]
    assert math.isclose(cross_entropy(logits, 2).data, -math.log(softmax(logits)[2].data))


def test_softmax_of_large_scores_does_not_overflow():
    probs = softmax([Value(1000.0), Value(999.0)])
    assert math.isclose(probs[0].data, 1 / (1 + math.exp(-1)))


def test_adams_first_step_moves_each_parameter_by_the_learning_rate_against_its_gradient():
    a, b = Value(1.0), Value(-2.0)
    loss = a * 3.0 + b * b
    loss.backward()
    Adam([a, b], lr=0.1).step()
    assert math.isclose(a.data, 0.9)   # grad 3: down by lr
    assert math.isclose(b.data, -1.9)  # grad -4: up by lr


def test_zero_grad_clears_every_gradient():
    model = GPT(TINY)
    model.loss([0, 1, 0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert not any(p.grad for p in model.parameters())


def test_training_lowers_the_loss_and_is_deterministic():
    vocab = Vocabulary(NAMES)
    config = Config(vocab_size=len(vocab), block_size=6, n_embd=4, n_head=2, n_layer=1)
    runs = []
    for _ in range(2):
        model = GPT(config, seed=3)
        runs.append(train(model, vocab, NAMES, steps=30, lr=0.05))
    assert runs[0] == runs[1]
    assert sum(runs[0][-6:]) < sum(runs[0][:6])


def test_sampling_with_a_seed_is_repeatable_and_uses_the_vocabulary():
    vocab = Vocabulary(NAMES)
    model = GPT(Config(vocab_size=len(vocab), block_size=6, n_embd=4, n_head=2, n_layer=1))
    first = [sample(model, vocab, random.Random(7)) for _ in range(5)]
    again = [sample(model, vocab, random.Random(7)) for _ in range(5)]
    assert first == again
    assert all(set(name) <= set("abcd") and len(name) < 6 for name in first)


def test_bad_shapes_are_refused_with_the_numbers():
    with pytest.raises(ValueError, match="n_embd \\(6\\) must be a multiple of n_head \\(4\\)"):
        GPT(Config(n_embd=6, n_head=4))
    with pytest.raises(ValueError, match="at most 6 tokens, got 7"):
        GPT(TINY)([0] * 7)


def test_training_leaves_no_cycles_for_the_paused_collector_and_turns_it_back_on():
    """train() pauses the cycle collector (engine.cycle_collector_off): that is safe only because its graphs hold
    no reference cycles, so nothing is left for the collector once training is done; and it is on again after."""
    names = read_names()[:20]
    gc.collect()
    gc.disable()  # nothing collected behind the test's back while it counts
    try:
        train(GPT(Config(), seed=0), Vocabulary(names), names, steps=3)
        assert gc.collect() == 0, "training left unreachable cycles behind"
    finally:
        gc.enable()
    train(GPT(Config(), seed=0), Vocabulary(names), names, steps=1)
    assert gc.isenabled()


def test_the_collector_stays_off_after_training_if_it_was_off_before():
    names = read_names()[:5]
    gc.disable()
    try:
        train(GPT(Config(), seed=0), Vocabulary(names), names, steps=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
