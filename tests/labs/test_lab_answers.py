"""Each lab's wrong answers fail its checks, each with its message, and its other right answers pass them.

Labs are jupytext files, not lessonkit pages, so their answers live here, one file per lab:
answers_<lab>.py holds LAB (the lab's path), WRONG (lab_runner.Wrong: the check, the wrong code, the text
its failure must say) and RIGHT (lab_runner.Right), and may set NEEDS_GPT (the lab loads the course's
GPT) and `prepare(namespace)` (run after each of the lab's cells). Each lab runs once, in this process.
"""

import answers_attention_and_a_gpt
import answers_language_models
import answers_values_and_gradients
import pytest

from lab_runner import Lab, assert_fails_saying, assert_passes, ids

pytestmark = pytest.mark.xdist_group("lab-answers")  # one process (pytest -n) makes its module fixtures once

ANSWERS = [answers_values_and_gradients, answers_language_models, answers_attention_and_a_gpt]


@pytest.fixture(scope="module")
def lab_of(request):
    """The lab of an answers file, run once per test module."""
    labs = {}

    def lab_of(answers):
        if answers not in labs:
            if getattr(answers, "NEEDS_GPT", False):
                request.getfixturevalue("course_gpt")  # trained once a session, then loaded by the lab
            labs[answers] = Lab(answers.LAB, prepare=getattr(answers, "prepare", lambda namespace: None))
        return labs[answers]
    return lab_of


def marks(answers):
    """A lab that loads the course's GPT runs its tests last (tests/conftest.py), while the GPT trains."""
    return [pytest.mark.uses_course_gpt] if getattr(answers, "NEEDS_GPT", False) else []


def answers_of(kind):
    return [pytest.param(answers, answer, id=f"{answers.LAB.stem}:{id}", marks=marks(answers))
            for answers in ANSWERS for answer, id in zip(getattr(answers, kind), ids(getattr(answers, kind)))]


@pytest.mark.parametrize("answers, wrong", answers_of("WRONG"))
def test_wrong_answer_fails_saying_why(lab_of, answers, wrong):
    assert_fails_saying(lab_of(answers), wrong)


@pytest.mark.parametrize("answers, right", answers_of("RIGHT"))
def test_right_answer_passes(lab_of, answers, right):
    assert_passes(lab_of(answers), right)


@pytest.mark.parametrize("answers", [pytest.param(answers, id=answers.LAB.stem, marks=marks(answers))
                                     for answers in ANSWERS])
def test_every_exercise_has_three_wrong_answers_and_a_right_one(lab_of, answers):
    lab = lab_of(answers)
    assert lab.before, f"{answers.LAB.name} has no fill-in cell that calls a check"
    for check in lab.before:
        assert sum(wrong.check == check for wrong in answers.WRONG) >= 3, f"{check}: fewer than three wrong answers"
        assert any(right.check == check for right in answers.RIGHT), f"{check}: no other right answer"
    assert {answer.check for answer in answers.WRONG + answers.RIGHT} <= set(lab.before)
