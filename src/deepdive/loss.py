"""The loss of a language model: cross-entropy, from logits, on Values."""


def log_sum_exp(logits):
    """log(Σ exp(z)) over the logits, with the largest taken out first so that exp never overflows."""
    top = max(logit.data for logit in logits)  # a float, not in the graph
    return sum((logit - top).exp() for logit in logits).log() + top


def cross_entropy(logits, target):
    """-log of the probability that softmax(logits) gives to the target: log Σ exp(z) - z[target]."""
    return log_sum_exp(logits) - logits[target]
