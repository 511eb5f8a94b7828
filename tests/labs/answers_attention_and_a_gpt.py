"""Chapter 4's lab: wrong answers that its checks must catch, each saying why, and right answers they must pass
(tried by test_lab_answers.py).

The lab loads the course's GPT: NEEDS_GPT has the session's `course_gpt` train it first, when no page has."""

import dataclasses

from deepdive import Value
from lab_runner import DOCS, Right, Wrong

LAB = DOCS / "chapter-4" / "lab-attention-and-a-gpt.py"
NEEDS_GPT = True

ADAM = """
def adam_moves(grads, lr, beta1, beta2, eps):
    m = v = 0.0
    moves = []
    for t, g in enumerate(grads, start=1):
        {reset}
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * {square}
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        moves.append({move})
    return moves
"""


def adam(reset="", square="g ** 2", move="-lr * m_hat / (math.sqrt(v_hat) + eps)"):
    return ADAM.format(reset=reset, square=square, move=move)


HEADS = """
def head_shares(model, readings):
    totals = [[0.0, 0.0] for _ in range(model.config.n_head)]
    positions = 0
    for tokens in readings:
        weights = []
        model(tokens, attention=weights)
        positions += len(tokens) - {first}
        for h, table in enumerate(weights):
            for t in range({first}, len(tokens)):
                totals[h][0] += table[t][{before}].data
                totals[h][1] += table[t][0].data
    return [(before / positions, start / positions) for before, start in totals]
"""


def heads(first=2, before="t - 1"):
    return HEADS.format(first=first, before=before)


LOSS = """
def held_out_loss(logits, targets, temperature):
    by_name = []
    for rows, ys in zip(logits, targets):
        losses = []
        for row, y in zip(rows, ys):
            scaled = [z {op} temperature for z in row]
            biggest = max(scaled)
            log_total = biggest + math.log(sum(math.exp(z - biggest) for z in scaled))
            losses.append(log_total - scaled[y])
        by_name.append(sum(losses) / len(losses))
    return {result}


best_temperature = {best}
"""


BEST = "min(temperatures, key=lambda t: held_out_loss(logits, targets, t))"  # whichever the run finds best
RUNNER_UP = "sorted(temperatures, key=lambda t: held_out_loss(logits, targets, t))[1]"


def loss(op="/", result="sum(by_name) / len(by_name)", best=BEST):
    return LOSS.format(op=op, result=result, best=best)


WRONG = [
    # Exercise 1: Adam when the gradient turns
    Wrong("check_adam", adam(move="-lr * m / (math.sqrt(v) + eps)"),
          "step 1 (gradient +2.0): yours moves by -0.1500, deepdive's Adam by -0.1000"),
    Wrong("check_adam", adam(move="lr * m_hat / (math.sqrt(v_hat) + eps)"),
          "step 1 (gradient +2.0): yours moves by +0.1000, deepdive's Adam by -0.1000"),
    Wrong("check_adam", adam(reset="m = v = 0.0"), "step 2 (gradient -1.0): yours moves by"),
    Wrong("check_adam", adam(square="g"), "step 1 (gradient +2.0): yours moves by -0.1414"),
    Wrong("check_adam", adam().replace("beta1 * m + (1 - beta1)", "0.85 * m + 0.15").replace(
        "beta2 * v + (1 - beta2)", "0.99 * v + 0.01"), "(gradients [0.5, 0.5, -3.0, 0.1]"),
    Wrong("check_adam", "adam_moves = moves_of_deepdive_adam",
          "adam_moves made Values: work the steps out by hand, with plain floats"),
    # Exercise 2: where does each head look?
    Wrong("check_heads", "def head_shares(model, readings):\n    return [(0.25, 0.25)] * 4",
          "head 1, weight on the token before: yours 0.2500"),
    Wrong("check_heads", heads(first=1), "head 1, weight on the token before: yours"),
    Wrong("check_heads", heads(before="t"), "head 1, weight on the token before: yours"),
    Wrong("check_heads", heads().replace("(before / positions, start / positions)",
                                         "(start / positions, before / positions)"),
          "head 1, weight on the token before: yours"),
    Wrong("check_heads", heads().replace("].data", "]"),
          "head 1: the pair holds plain floats (a Value's .data), not ['Value', 'Value']"),
    Wrong("check_heads", heads().replace("return [", "return {h: pair for h, pair in enumerate([").replace(
        "in totals]", "in totals])}"), "head_shares should return a list of 4 pairs, one per head"),
    # Exercise 3: which temperature fits real names?
    Wrong("check_temperature", loss(op="/ 1.0 *"), "temperature 0.5: your loss is"),
    Wrong("check_temperature", loss(op="*"), "temperature 0.5: your loss is"),
    Wrong("check_temperature", loss(result="by_name"), "held_out_loss should return one number, not a list"),
    Wrong("check_temperature", loss(best="0.5"), "at 0.5 the loss is"),
    Wrong("check_temperature", loss(best=RUNNER_UP), "lower is better"),  # a few thousandths behind the best
    Wrong("check_temperature", loss(best='"1.0"'),
          "best_temperature is one of the numbers 0.5, 0.9, 1.0, 1.1, 1.5, not '1.0'"),
    Wrong("check_temperature", """
        def held_out_loss(logits, targets, temperature):  # every position of every name pooled
            losses = []
            for rows, ys in zip(logits, targets):
                for row, y in zip(rows, ys):
                    scaled = [z / temperature for z in row]
                    losses.append(math.log(sum(math.exp(z) for z in scaled)) - scaled[y])
            return sum(losses) / len(losses)


        best_temperature = 1.0
        """, "temperature 0.5: your loss is"),
]

RIGHT = [
    Right("check_adam", adam(move="-lr * m_hat / (v_hat ** 0.5 + eps)").replace("return moves",
                                                                               "return tuple(moves)")),
    Right("check_heads", """
        def head_shares(model, readings):
            pairs = []
            tables = []
            for tokens in readings:
                weights = []
                model(tokens, attention=weights)
                tables.append(weights)
            for h in range(model.config.n_head):
                before = [table[h][t][t - 1].data for table in tables for t in range(2, len(table[h]))]
                start = [table[h][t][0].data for table in tables for t in range(2, len(table[h]))]
                pairs.append([sum(before) / len(before), sum(start) / len(start)])
            return tuple(pairs)
        """),
    Right("check_temperature", """
        def held_out_loss(logits, targets, temperature):
            names = []
            for rows, ys in zip(logits, targets):
                each = [cross_entropy([Value(z / temperature) for z in row], y).data for row, y in zip(rows, ys)]
                names.append(sum(each) / len(each))
            return sum(names) / len(names)


        best_temperature = min(temperatures, key=lambda t: held_out_loss(logits, targets, t))
        """),
]


class RememberingModel:
    """The lab's GPT, remembering each reading's logits and attention weights, as Values that hold only their
    numbers: the lab's cells and the heads' answers each run the model on the same twenty names, which would
    take seconds apiece."""

    def __init__(self, model):
        self.model, self.seen = model, {}

    def __getattr__(self, name):  # config, wte, wpe, blocks: the model's own
        return getattr(self.model, name)

    def __call__(self, tokens, attention=None):
        if tuple(tokens) not in self.seen:
            weights = []
            logits = self.model(tokens, attention=weights)
            self.seen[tuple(tokens)] = ([[Value(z.data) for z in row] for row in logits],
                                        [[[Value(w.data) for w in row] for row in table] for table in weights])
        logits, weights = self.seen[tuple(tokens)]
        if attention is not None:
            attention += [[list(row) for row in table] for table in weights]
        return [list(row) for row in logits]


def prepare(namespace):
    """After each of the lab's cells: its trained GPT, once loaded, becomes a RememberingModel."""
    if "run" in namespace and not isinstance(namespace["run"].model, RememberingModel):
        namespace["run"] = dataclasses.replace(namespace["run"], model=RememberingModel(namespace["run"].model))
