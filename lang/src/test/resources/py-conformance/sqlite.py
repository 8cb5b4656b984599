# sqlite3: in memory and in a file of the sandbox's filesystem
import os
import sqlite3
import tempfile

con = sqlite3.connect(":memory:")
con.execute("create table t (id integer primary key, name text, score real)")
con.executemany("insert into t (name, score) values (?, ?)", [("ann", 3.5), ("bob", 2.0), ("cy", 4.25)])
print(con.execute("select name, score from t where score > ? order by score desc", (3,)).fetchall())
print(con.execute("select count(*), sum(score), avg(score) from t").fetchone())
con.row_factory = sqlite3.Row
row = con.execute("select * from t where name = 'bob'").fetchone()
print(row["id"], dict(row))
print(con.execute("select json_extract('{\"a\": [1, 2]}', '$.a[1]')").fetchone()[0])
try:
    con.execute("select * from missing")
except sqlite3.OperationalError as e:
    print("OperationalError:", e)
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "db.sqlite")
    with sqlite3.connect(path) as f:
        f.execute("create table kv (k text primary key, v text)")
        f.execute("insert into kv values ('x', '1')")
    f.close()
    again = sqlite3.connect(path)
    print(again.execute("select * from kv").fetchall(), os.path.getsize(path) > 0)
    again.close()
print(sqlite3.sqlite_version_info >= (3, 35), sqlite3.threadsafety in (0, 1, 3))
