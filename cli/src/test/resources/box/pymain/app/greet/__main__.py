import sys
import textwrap

from .core import greeting


def main(argv):
    shout = "--shout" in argv
    names = [a for a in argv if a != "--shout"] or ["world"]
    print(greeting(names, shout))
    print(textwrap.shorten("run as " + __name__ + " from package " + __package__, 40))
    return 0


sys.exit(main(sys.argv[1:]))
