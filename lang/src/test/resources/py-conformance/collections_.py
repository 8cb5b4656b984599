# Data structures: collections, heapq, bisect, array, copy, weakref, enum, types, dataclasses, typing, abc, graphlib
import abc
import array
import bisect
import collections
import collections.abc
import copy
import dataclasses
import enum
import graphlib
import heapq
import types
import typing
import weakref

c = collections.Counter("abracadabra")
print(c.most_common(3), sorted(c.elements())[:5])
d = collections.defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    d[k].append(v)
print(dict(d))
Point = collections.namedtuple("Point", "x y")
print(Point(1, 2), Point(1, 2)._replace(y=5), Point._fields)
dq = collections.deque(range(5), maxlen=4)
dq.appendleft(-1)
dq.rotate(1)
print(dq)
od = collections.OrderedDict(a=1, b=2)
od.move_to_end("a")
print(list(od), collections.ChainMap({"x": 1}, {"x": 2, "y": 3})["y"])
print(isinstance([], collections.abc.Sequence), isinstance({}, collections.abc.Mapping))
h = [5, 1, 8, 3]
heapq.heapify(h)
print(heapq.heappop(h), heapq.nsmallest(2, [9, 4, 7, 1]), heapq.nlargest(2, [9, 4, 7, 1]))
xs = [1, 3, 5, 7]
bisect.insort(xs, 4)
print(xs, bisect.bisect_left(xs, 5))
a = array.array("i", [1, 2, 3])
a.append(4)
print(a, a.tobytes()[:8], array.array("d", [1.5]).itemsize)
orig = {"k": [1, [2, 3]]}
deep = copy.deepcopy(orig)
deep["k"][1].append(4)
print(orig, deep, copy.copy(orig)["k"] is orig["k"])


class Node:
    pass


n = Node()
r = weakref.ref(n)
print(r() is n)
del n
print(r())


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Perm(enum.IntFlag):
    R = 4
    W = 2


print(Color.RED, Color(2).name, list(Color), int(Perm.R | Perm.W), Perm(6) & Perm.W)


@dataclasses.dataclass(order=True, frozen=True)
class Item:
    name: str
    qty: int = 0
    tags: tuple = dataclasses.field(default_factory=tuple)


print(Item("b", 2) < Item("c"), dataclasses.asdict(Item("x", 3)), dataclasses.replace(Item("y"), qty=9))
try:
    Item("z").qty = 1
except dataclasses.FrozenInstanceError as e:
    print("frozen:", type(e).__name__)
T = typing.TypeVar("T")


def first(xs: typing.List[T]) -> typing.Optional[T]:
    return xs[0] if xs else None


print(first([7]), typing.get_type_hints(first)["return"], typing.get_origin(typing.List[int]))


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self): ...


try:
    Shape()
except TypeError:
    print("abstract")
ns = types.SimpleNamespace(a=1, b=2)
print(ns, types.MappingProxyType({"r": 1})["r"], isinstance(len, types.BuiltinFunctionType))
ts = graphlib.TopologicalSorter({"c": {"b"}, "b": {"a"}})
print(list(ts.static_order()))
