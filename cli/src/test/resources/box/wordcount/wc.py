"""Counts words in the text given as arguments: the total and the most common ones."""
import argparse
import collections
import re
import sys


def main(argv=None):
    p = argparse.ArgumentParser(prog="wc.py", description="Count words.")
    p.add_argument("text", nargs="+", help="the text")
    p.add_argument("--top", type=int, default=3, help="how many of the most common words")
    a = p.parse_args(argv)
    words = re.findall(r"[a-z']+", " ".join(a.text).lower())
    counts = collections.Counter(words)
    print(f"words: {len(words)}")
    print(f"distinct: {len(counts)}")
    for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: a.top]:
        print(f"{n:3d} {word}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
