# Testing and introspection: unittest, doctest, inspect, ast, dis, tokenize, keyword, token, traceback, warnings, linecache
import ast
import dis
import doctest
import inspect
import io
import keyword
import token
import tokenize
import traceback
import unittest
import warnings


class MathTest(unittest.TestCase):
    def test_add(self):
        self.assertEqual(1 + 1, 2)

    def test_fails(self):
        self.assertIn(3, [1, 2])

    @unittest.skip("not today")
    def test_skipped(self):
        pass


stream = io.StringIO()
result = unittest.TextTestRunner(stream=stream, verbosity=0).run(unittest.defaultTestLoader.loadTestsFromTestCase(MathTest))
print(result.testsRun, len(result.failures), len(result.skipped), result.wasSuccessful())


def square(x):
    """Squares x.

    >>> square(3)
    9
    >>> square(-2)
    4
    """
    return x * x


runner = doctest.DocTestRunner()
for test in doctest.DocTestFinder().find(square, "square", globs={"square": square}):
    runner.run(test, out=lambda s: None)
print(runner.summarize(verbose=False))
print(inspect.signature(lambda a, b=2, *c, d, **e: 0), inspect.getdoc(square).splitlines()[0], inspect.isfunction(square))
tree = ast.parse("x = 1 + 2 * y")
print(ast.dump(tree.body[0].value), ast.literal_eval("[1, {'a': (2, 3)}]"), ast.unparse(tree))
print(len(list(dis.get_instructions(square))) > 0, keyword.iskeyword("lambda"), token.tok_name[token.NAME])
toks = [t.string for t in tokenize.generate_tokens(io.StringIO("a = b + 1\n").readline) if t.string.strip()]
print(toks)
try:
    {}["missing"]
except KeyError:
    print(traceback.format_exc().strip().splitlines()[-1])
print(traceback.format_exception_only(ValueError("bad value"))[0].strip())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("careful", DeprecationWarning)
print([(w.category.__name__, str(w.message)) for w in caught])
