"""A names list for the makemore programs, made the same way every time (nothing downloaded).

The lectures read names.txt (32,033 names); the corpus builds a smaller list
of pronounceable made-up names from fixed syllables with Python's seeded
``random`` (stable across Python versions), so the programs need no file.
"""

import random

_STARTS = ["", "b", "br", "c", "ch", "d", "el", "em", "f", "g", "h", "j", "k", "kh", "l", "m",
           "n", "p", "qu", "r", "s", "sh", "t", "th", "v", "w", "x", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "y", "ia", "ie", "ay", "ea", "ou"]
_ENDS = ["", "", "n", "l", "r", "s", "h", "th", "nn", "x", "ya", "el", "on", "ie"]


def names(count=2000, seed=2147483647):
    rng = random.Random(seed)
    words = []
    for _ in range(count):
        syllables = rng.choice([1, 2, 2, 3])
        word = "".join(rng.choice(_STARTS) + rng.choice(_VOWELS) for _ in range(syllables))
        words.append((word + rng.choice(_ENDS))[:12])
    return words
