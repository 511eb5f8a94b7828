"""Chapter 4's lab: its stubs get hints, and its solutions pass and say what the prose says."""

from pathlib import Path

import jupytext

from run_in_kernel import printed, run

LAB = Path(__file__).parents[2] / "docs" / "chapter-4" / "lab-attention-and-a-gpt.py"

# Its wrong answers, and other right ones, are tried in tests/labs/test_lab_attention_and_a_gpt.py.


def test_attention_lab(tmp_path, course_gpt):  # the lab loads the course's GPT
    notebook = jupytext.read(LAB)
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

    # The table the solution's prose reads: no head puts much more than an even share on the token before or on
    # the start token (within a few hundredths), and heads 1 and 3 put less than an even share on both.
    header, *rows, even_row = heads.splitlines()
    assert header.split() == ["before", "start"] and len(rows) == 4
    shares = [tuple(float(x) for x in row.split()[2:]) for row in rows]  # "head 2   0.121  0.345"
    even = float(even_row.split()[1])
    assert all(before <= even + 0.03 and start <= even + 0.05 for before, start in shares), heads
    assert all(share < even for h in (0, 2) for share in shares[h]), heads

    # And the temperatures, in the order the prose gives, best first: 1.1, 1.0 a few thousandths behind, then
    # 0.9, 1.5 and, far behind, 0.5.
    losses = {float(line.split()[1].rstrip(":")): float(line.split()[-1])
              for line in temperature.splitlines() if line.startswith("temperature")}
    assert list(losses) == [0.5, 0.9, 1.0, 1.1, 1.5]
    assert sorted(losses, key=losses.get) == [1.1, 1.0, 0.9, 1.5, 0.5], temperature
    assert losses[1.0] - losses[1.1] < 0.01 and losses[0.5] - losses[1.5] > 0.1, temperature
    assert temperature.splitlines()[-1] == "best_temperature 1.1: right"
