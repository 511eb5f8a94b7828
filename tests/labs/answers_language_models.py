"""Chapter 3's lab: wrong answers that its checks must catch, each saying why, and right answers they must pass
(tried by test_lab_answers.py)."""

from lab_runner import DOCS, Right, Wrong

LAB = DOCS / "chapter-3" / "lab-language-models.py"

CROSS_ENTROPY = """
def cross_entropy(logits, target):
    return -softmax(logits)[target].log()
"""
RULE = """
def predicted_grad(probs, target, k):
    return probs[k] - (1 if k == target else 0)
"""
SAMPLER = """
def sample_name(P, vocab):
    out, i = [], 0
    while True:
        i = random.choices(range(len(vocab)), weights={row})[0]
        if i == 0:
            return {result}
        out.append(vocab.itos[i])
        {after}
"""


def sampler(row="P[i]", result='"".join(out)', after=""):
    return SAMPLER.format(row=row, result=result, after=after)


WRONG = [
    # Exercise 1: a softmax that never overflows
    Wrong("check_softmax", """
        def softmax(logits):
            exps = [logit.exp() for logit in logits]
            total = sum(exps)
            return [e / total for e in exps]
        """, "exp overflowed on the logits [1000.0, 999.0]: subtract the largest logit first"),
    Wrong("check_softmax", """
        def softmax(logits):
            low = min(logit.data for logit in logits)
            exps = [(logit - low).exp() for logit in logits]
            return [e / sum(exps) for e in exps]
        """, "exp overflowed on the logits [1000.0, 0.0, -1000.0]"),
    Wrong("check_softmax", """
        def softmax(logits):
            top = max(logit.data for logit in logits)
            exps = [math.exp(logit.data - top) for logit in logits]
            return [Value(e / sum(exps)) for e in exps]
        """, "backward() from softmax(logits)[0] gives the logits the gradients [0.0, 0.0, 0.0, 0.0]"),
    Wrong("check_softmax", """
        def softmax(logits):
            top = max(logit.data for logit in logits)
            exps = [math.exp(logit.data - top) for logit in logits]
            return [e / sum(exps) for e in exps]
        """, "softmax must return Values, so that gradients can flow through it"),
    Wrong("check_softmax", """
        def softmax(logits):
            top = max(logit.data for logit in logits)
            return [(logit - top).exp() for logit in logits]
        """, "softmax gives"),
    # Exercise 2: cross-entropy and its gradient
    Wrong("check_cross_entropy", CROSS_ENTROPY.replace("-softmax", "softmax") + RULE,
          "for logits [1.5, -0.5, 0.3] and target 2 the loss is"),
    Wrong("check_cross_entropy", CROSS_ENTROPY.replace(".log()", ".log().data") + RULE,
          "cross_entropy should return a Value, so that backward() can run, not float"),
    Wrong("check_cross_entropy", CROSS_ENTROPY + "def predicted_grad(probs, target, k):\n    return probs[k]\n",
          "your rule and backward() disagree for logits [1.5, -0.5, 0.3], target 2: "
          "d loss / d logit 2 is -0.7903, your rule says 0.2097"),
    Wrong("check_cross_entropy", CROSS_ENTROPY + RULE.replace("probs[k] - (1 if k == target else 0)",
                                                              "1 - probs[k] if k == target else probs[k]"),
          "d loss / d logit 2 is -0.7903, your rule says 0.7903"),
    Wrong("check_cross_entropy", CROSS_ENTROPY + RULE.replace("k == target", "k == probs.index(max(probs))"),
          "d loss / d logit 0 is 0.6961, your rule says -0.3039"),
    Wrong("check_cross_entropy", "def softmax(logits):  # exercise 1, broken again\n"
                                 "    return [logit.exp() for logit in logits]\n" + CROSS_ENTROPY + RULE,
          "cross_entropy builds on your softmax from exercise 1"),
    # Exercise 3: make up names
    Wrong("check_sampler", sampler(after="return vocab.itos[i]"), "after 'a', your names have '.' 1.000 of the time"),
    Wrong("check_sampler", sampler(row="P[i] if not out else [1] * len(vocab)"), "after 'a', your names have"),
    Wrong("check_sampler", sampler(row="P[0]"), "sample_name ran for 1 s and made 0 names",
          call="check_sampler(sample_name, seconds=1)"),
    Wrong("check_sampler", sampler(result='"".join(out) + "."'),
          "a name is a string of letters, without the '.' token"),
    Wrong("check_sampler", sampler(result="out"), "a name is a string of letters, without the '.' token, not ["),
    Wrong("check_sampler", sampler(row="P[i] if out else [0] + [1] * (len(vocab) - 1)"),
          "at the start, your names have"),
    Wrong("check_sampler", """
        def sample_name(P, vocab):  # letters drawn from the alphabet, not from the table's rows
            name = ""
            while random.random() > 0.2:
                name += random.choice("abcdefghijklmnopqrstuvwxyz")
            return name
        """, "a name is made of the letters of vocab.itos; one of yours holds"),
    Wrong("check_sampler", """
        def sample_name(P, vocab):
            out, i = [], 0
            while True:
                i = max(range(len(vocab)), key=lambda j: P[i][j] * random.random())
                if i == 0:
                    return "".join(out)
                out.append(vocab.itos[i])
        """, "at the start, your names have"),
]

RIGHT = [
    Right("check_softmax", """
        def softmax(logits):
            top = max(logits, key=lambda logit: logit.data)  # a Value: the shift cancels, gradients too
            exps = tuple((logit - top).exp() for logit in logits)
            return tuple(e / sum(exps) for e in exps)
        """),
    Right("check_cross_entropy", """
        def cross_entropy(logits, target):
            top = max(logit.data for logit in logits)
            return sum((logit - top).exp() for logit in logits).log() + top - logits[target]

        def predicted_grad(probs, target, k):
            return probs[k] - float(k == target)
        """),
    Right("check_sampler", """
        def sample_name(P, vocab):
            name, ch = "", "."
            while True:
                ch = random.choices(vocab.itos, weights=P[vocab.stoi[ch]])[0]
                if ch == ".":
                    return name
                name += ch
        """),
]
