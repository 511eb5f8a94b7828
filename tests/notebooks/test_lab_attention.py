"""Chapter 4's lab: its stubs get hints, its solutions pass and say what the prose says, and a wrong answer fails."""

from pathlib import Path

import jupytext
import nbformat

from run_in_kernel import printed, run

LAB = Path(__file__).parents[2] / "docs" / "chapter-4" / "lab-attention-and-a-gpt.py"

# Wrong answers a learner might give, each run through its exercise's check after the lab.
WRONG_ANSWERS = '''
def verdict(check, *answer):
    try:
        check(*answer)
    except AssertionError as error:
        print("fails:", error)
    else:
        print("passes")


def adam_without_bias_correction(grads, lr, beta1, beta2, eps):
    m = v = 0.0
    moves = []
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        moves.append(-lr * m / (math.sqrt(v) + eps))
    return moves


def loss_of_all_positions_pooled(logits, targets, temperature):
    losses = [held_out_loss([[row]], [[y]], temperature) for rows, ys in zip(logits, targets) for row, y in zip(rows, ys)]
    return sum(losses) / len(losses)


verdict(check_adam, adam_without_bias_correction)
verdict(check_adam, lambda grads, **settings: [-move for move in adam_moves(grads, **settings)])
verdict(check_heads, lambda model, readings: [(0.25, 0.25)] * 4)
verdict(check_temperature, lambda logits, targets, temperature: held_out_loss(logits, targets, 1.0), 1.0)
verdict(check_temperature, loss_of_all_positions_pooled, 1.0)
verdict(check_temperature, held_out_loss, 0.5)
'''


def test_attention_lab(tmp_path, course_gpt):  # the lab loads the course's GPT
    notebook = jupytext.read(LAB)
    notebook.cells.append(nbformat.v4.new_code_cell(WRONG_ANSWERS))
    notebook = run(notebook, tmp_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    solutions = [printed(cell) for cell in code if "solution" in cell.metadata.get("tags", [])]
    starters = [printed(cell) for cell in code if "solution" not in cell.metadata.get("tags", [])
                and any(line.startswith("check_") for line in cell.source.splitlines())]

    # Before the solutions, each stub gets a hint, not an error and not the answer.
    assert starters == ["adam_moves returns None: write its body first.\n",
                            "head_shares returns None: write its body first.\n",
                            "held_out_loss returns None: write its body first.\n"]

    adam, heads, temperature = solutions
    assert adam.splitlines() == [
        "step 1: gradient +2.0, moves by -0.1000, as Adam does",
        "step 2: gradient -1.0, moves by -0.0240, as Adam does",
    ]

    # The table the solution's prose reads: no head favours the token before; head 2 leans on the start token.
    header, *rows, even_row = heads.splitlines()
    assert header.split() == ["before", "start"] and len(rows) == 4
    shares = [tuple(float(x) for x in row.split()[2:]) for row in rows]  # "head 2   0.121  0.345"
    even = float(even_row.split()[1])
    assert all(before <= even + 0.01 for before, _ in shares), heads
    assert max(range(4), key=lambda h: shares[h][1]) == 1 and shares[1][1] > even + 0.1, heads
    assert shares[1][0] < even, heads

    # And the temperatures: 1.0 fits best, 0.5 worst, as the prose says.
    losses = {float(line.split()[1].rstrip(":")): float(line.split()[-1])
              for line in temperature.splitlines() if line.startswith("temperature")}
    assert list(losses) == [0.5, 1.0, 1.5]
    assert losses[1.0] < losses[1.5] < losses[0.5], temperature
    assert temperature.splitlines()[-1] == "best_temperature 1.0: right"

    verdicts = [line for line in printed(code[-1]).splitlines() if line.startswith(("fails:", "passes"))]
    assert verdicts == [
        "fails: step 1 (gradient +2.0): yours moves by -0.1500, deepdive's Adam by -0.1000",
        "fails: step 1 (gradient +2.0): yours moves by +0.1000, deepdive's Adam by -0.1000",
        verdicts[2],
        f"fails: temperature 0.5: your loss is {losses[1.0]:.4f}, deepdive.gpt.cross_entropy gives {losses[0.5]:.4f}",
        verdicts[4],
        f"fails: at 0.5 the loss is {losses[0.5]:.4f}, at 1.0 it is {losses[1.0]:.4f}: lower is better",
    ]
    assert verdicts[2].startswith(f"fails: head 1, weight on the token before: yours 0.2500, "
                                  f"from the model's matrices {shares[0][0]:.3f}"), verdicts[2]
    assert verdicts[2].endswith("(averaged over positions 2 and on of the 20 names)"), verdicts[2]
    assert verdicts[4].startswith("fails: temperature 0.5: your loss is "), verdicts[4]
