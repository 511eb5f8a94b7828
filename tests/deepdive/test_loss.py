"""deepdive.loss: cross-entropy from logits, its value and its gradient."""

import math

import pytest

from deepdive import Value
from deepdive.loss import cross_entropy, log_sum_exp


def softmax(floats):
    exps = [math.exp(z) for z in floats]
    return [e / sum(exps) for e in exps]


@pytest.mark.parametrize("floats, target", [([2.0, 1.0, 0.1, -1.0, 0.5], 0), ([1.5, -0.5, 0.3], 2), ([0.0] * 27, 5)])
def test_cross_entropy_is_minus_the_log_of_the_targets_probability(floats, target):
    loss = cross_entropy([Value(z) for z in floats], target)
    assert loss.data == pytest.approx(-math.log(softmax(floats)[target]))


def test_its_gradient_is_the_probabilities_minus_one_at_the_target():
    floats = [1.5, -0.5, 0.3, 2.2]
    logits = [Value(z) for z in floats]
    cross_entropy(logits, 1).backward()
    expected = [p - (k == 1) for k, p in enumerate(softmax(floats))]
    assert [logit.grad for logit in logits] == pytest.approx(expected)


def test_large_logits_do_not_overflow():
    logits = [Value(1000.0), Value(999.0)]
    assert log_sum_exp(logits).data == pytest.approx(1000 + math.log(1 + math.exp(-1)))
    assert cross_entropy(logits, 1).data == pytest.approx(1 + math.log(1 + math.exp(-1)))
