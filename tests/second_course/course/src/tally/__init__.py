"""Counting letters, the second course's own package."""


def count_letters(word):
    """How often each letter occurs in word, in alphabetical order."""
    return {letter: word.count(letter) for letter in sorted(set(word))}
