"""A tiny pure-Python text-box library (written for Airlock's tests)."""

__version__ = "0.3.0"


def boxed(text, pad=1):
    """The text in an ASCII box."""
    inner = " " * pad + text + " " * pad
    line = "+" + "-" * len(inner) + "+"
    return "\n".join([line, "|" + inner + "|", line])
