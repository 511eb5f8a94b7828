"""Chapter 2's lab: wrong answers that its checks must catch, each saying why, and right answers they must pass
(tried by test_lab_answers.py)."""

from lab_runner import DOCS, Right, Wrong

LAB = DOCS / "chapter-2" / "lab-values-and-gradients.py"

TRAIN_STEP = """
def train_step(model, xs, ys, learning_rate):
    predictions = [model(x) for x in xs]
    loss = sum((p - y) ** 2 for p, y in zip(predictions, ys))
    {zero}
    loss.backward()
    {after}
    for p in model.parameters():
        p.data {update} learning_rate * p.grad
    return {result}
"""


def train_step(zero="model.zero_grad()", after="", update="-=", result="loss.data"):
    return TRAIN_STEP.format(zero=zero, after=after, update=update, result=result)


WRONG = [
    # Exercise 1: subtraction from + and *
    Wrong("check_sub", "def sub(a, b):\n    return a - b", "sub used ['-']: only + and *"),
    Wrong("check_sub", "def sub(a, b):\n    return a + -b", "sub used ['+', 'neg']: only + and *"),
    Wrong("check_sub", "def sub(a, b):\n    return a + b",
          "sub(a, b).data is -1.0 for a = 2.0, b = -3.0; a - b is 5.0"),
    Wrong("check_sub", "def sub(a, b):\n    return a * -1 + b", "sub(a, b).data is -5.0 for a = 2.0, b = -3.0"),
    Wrong("check_sub", "def sub(a, b):\n    return Value(a.data - b.data)", "a and b got no gradient"),
    Wrong("check_sub", "def sub(a, b):\n    return a.data + b.data * -1",
          "sub(a, b) should return a Value built from a and b, not a float"),
    # Exercise 2: a gradient by hand (dL/da = -24, dL/db = 16, dL/dc = 8)
    Wrong("check_by_hand", 'by_hand = {"a": -3.0, "b": 2.0, "c": 1.0}',
          "dL/da is not -3.0: that is da of u = a·b + c alone; the chain rule multiplies it by dL/du"),
    Wrong("check_by_hand", 'by_hand = {"a": 8.0, "b": 8.0, "c": 8.0}', "dL/da is not 8.0: try again"),
    Wrong("check_by_hand", 'by_hand = {"a": 16.0, "b": -24.0, "c": 8.0}', "dL/da is not 16.0: try again"),
    Wrong("check_by_hand", 'by_hand = {"a": -12.0, "b": 8.0, "c": 4.0}', "dL/da is not -12.0: try again"),
    Wrong("check_by_hand", 'by_hand = {"a": "-24", "b": "16", "c": "8"}', "by_hand['a'] should be a number, not str"),
    Wrong("check_by_hand", "by_hand = [-24.0, 16.0, 8.0]", "by_hand should be a dict"),
    # Exercise 3: one step of gradient descent
    Wrong("check_training", train_step(update="+="),
          "step 1: every parameter moved up its gradient: subtract learning_rate * p.grad"),
    Wrong("check_training", train_step(zero="", after="model.zero_grad()"),
          "step 1: no parameter moved, and every .grad is 0: call zero_grad() before backward(), not after it"),
    Wrong("check_training", train_step(zero=""),
          "step 2: the gradients of the step before are still in .grad: call zero_grad() before backward()"),
    Wrong("check_training", train_step(result="loss"),
          "train_step should return the loss's .data, a float, not a Value"),
    Wrong("check_training", train_step(result="sum((model(x) - y) ** 2 for x, y in zip(xs, ys)).data"),  # after it
          "step 1: train_step returned 1.210497, but the sum of the squared errors before the update"),
    Wrong("check_training", train_step(result="loss.data / len(xs)"),
          "but the sum of the squared errors before the update is 24.333"),
    Wrong("check_training", train_step().replace("learning_rate * p.grad", "0.1 * p.grad"),
          "step 1: parameter 0 moved by"),
]

RIGHT = [
    Right("check_sub", "def sub(a, b):\n    return a + (-1) * b"),
    Right("check_sub", "def sub(a, b):\n    return b * Value(-1.0) + a"),
    Right("check_by_hand", 'by_hand = {"a": -24, "b": 16, "c": 8}'),
    Right("check_training", """
        def train_step(model, xs, ys, learning_rate):
            loss = 0
            for x, y in zip(xs, ys):
                loss = loss + (model(x) - y) ** 2
            for p in model.parameters():
                p.grad = 0.0
            loss.backward()
            for p in model.parameters():
                p.data += -learning_rate * p.grad
            return float(loss.data)
        """),
]
