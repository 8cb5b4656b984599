const d = new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123));
console.log(d.toISOString(), d.getUTCDay(), d.getTime(), JSON.stringify({ d }));
console.log(d);
console.log(new Date("2024-03-10T00:00:00Z").getTime() - d.getTime(), new Date(NaN).getTime());
console.log(Date.UTC(1970, 0, 1), new Date(0).toUTCString(), typeof Date.now());
console.log([new Date(86400000)], new Date("invalid") + "");
