# Text processing: string, re, textwrap, difflib, unicodedata, codecs, html, pprint, reprlib, shlex, fnmatch, stringprep
import codecs
import difflib
import fnmatch
import html
import html.parser
import pprint
import re
import reprlib
import shlex
import string
import stringprep
import textwrap
import unicodedata

print(string.ascii_lowercase[:5], string.capwords("hello wide world"))
print(string.Template("$who likes $what").substitute(who="tim", what="kung pao"))
m = re.match(r"(?P<key>\w+)=(?P<value>\d+)", "depth=42")
print(m.group("key"), int(m.group("value")) + 1, re.sub(r"\s+", " ", "a   b \t c"))
print(re.findall(r"(?<=@)\w+", "a@x b@yy c@zzz"), re.split(r"[,;]", "1,2;3"))
print(textwrap.fill("The quick brown fox jumps over the lazy dog " * 3, width=30))
print(textwrap.dedent("    a\n      b\n    c"))
print(list(difflib.unified_diff(["a\n", "b\n", "c\n"], ["a\n", "B\n", "c\n"], "x", "y")))
print(difflib.SequenceMatcher(None, "abcd", "bcde").ratio())
print(unicodedata.name("é"), unicodedata.normalize("NFD", "é").encode(), unicodedata.category("A"))
print(codecs.encode("hello", "rot13"), codecs.decode(b"caf\xc3\xa9", "utf-8"), "ÿ".encode("latin-1"))
print(html.escape("<a href='x'>&</a>"), html.unescape("&lt;&amp;&gt;&eacute;"))


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href"))


p = Links()
p.feed('<p><a href="/one">1</a> <a href="/two">2</a></p>')
print(p.links)
pprint.pprint({"b": list(range(12)), "a": {"nested": [1, 2, {"deep": "x" * 30}]}}, width=40)
print(reprlib.repr(list(range(100))), reprlib.repr("x" * 100))
print(shlex.split("ls -l 'my file' \"two words\""), shlex.quote("it's"))
print(fnmatch.fnmatch("data.csv", "*.csv"), fnmatch.filter(["a.py", "b.txt", "c.py"], "*.py"))
print(stringprep.in_table_a1("\u0221"), stringprep.in_table_b1("\u00ad"))
print("straße".upper(), "ǅ".lower(), "ß".casefold(), "Hello"[::-1], f"{3.14159:.2f}|{42:>6}|{255:#x}")
