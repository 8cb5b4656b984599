// A Node filter over standard input: readline's lines and close events, an async iterator over a
// second interface's answers, and string_decoder across a split multi-byte character.
const readline = require('node:readline');
const { StringDecoder } = require('string_decoder');

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let lines = 0;
let words = 0;
let longest = '';
rl.on('line', (line) => {
  lines++;
  words += line.split(/\s+/).filter(Boolean).length;
  if (line.length > longest.length) longest = line;
});
rl.on('close', () => {
  console.log('lines', lines, 'words', words);
  console.log('longest:', longest);
  const d = new StringDecoder('utf8');
  const euro = Buffer.from('a€b');
  console.log([d.write(euro.subarray(0, 2)), d.write(euro.subarray(2)), d.end()].join('|'));
  console.log(typeof process.stdin.on, process.stdin.isTTY === true);
});
