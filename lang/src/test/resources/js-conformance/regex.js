const m = /(?<year>\d{4})-(?<month>\d{2})/.exec("date: 2024-05-17");
console.log(m.groups.year, m.groups.month, m.index);
console.log("price $42 and $7".match(/(?<=\$)\d+/g), "a1b2".replace(/(?<!a)\d/g, "#"));
console.log(/\p{L}+/u.exec("123héllo")[0], "aBc".replace(/b/i, (s) => s.toLowerCase()));
console.log([..."a1b22c333".matchAll(/\d+/g)].map((x) => x[0]), "x-y_z".split(/[-_]/));
console.log("2020-01-02".replace(/(\d+)-(\d+)-(\d+)/, "$3/$2/$1"), /a.c/s.test("a\nc"));
const re = /o/dg; re.exec("foo"); console.log(re.lastIndex, /(?<w>o+)/d.exec("foo").indices.groups.w);
console.log("aaa".replaceAll("a", "b"), /[\p{Emoji}]/u.test("😀"));
