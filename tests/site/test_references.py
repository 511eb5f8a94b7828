"""Each lesson links the sources of what it teaches, where it teaches it."""

import pytest

REFERENCES = [
    ("2.1-values-and-expressions", "https://github.com/karpathy/micrograd"),
    ("2.1-values-and-expressions", "https://www.youtube.com/watch?v=VMj-3S1tku0"),
    ("2.3-local-gradients-and-the-chain-rule", "https://karpathy.github.io/2026/02/12/microgpt/"),
    ("2.4-the-backward-pass", "https://pytorch.org/docs/stable/generated/torch.Tensor.backward.html"),
    ("2.5-from-values-to-a-neuron", "https://pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html"),
]


@pytest.mark.parametrize("lesson, href", REFERENCES)
def test_the_lesson_links_its_source_in_its_text(built_site, lesson, href):
    article = (built_site / "chapter-2" / lesson / "index.html").read_text().split("<article", 1)[1]
    assert f'href="{href}"' in article
