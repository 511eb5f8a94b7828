"""deepdive: what the GPT Deep Dive course builds, one small piece at a time."""

from deepdive.draw import draw
from deepdive.engine import Value
from deepdive.show import show

__all__ = ["Value", "draw", "show"]
