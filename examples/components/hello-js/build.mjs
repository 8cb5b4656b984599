// Builds hello.wasm, a JavaScript component (StarlingMonkey, about 12 MB), with componentize-js
// from npm, with WASI 0.2 for standard output, clocks and randomness (console.log reaches
// wasi:cli/stdout) and without HTTP, which Airlock does not supply:
//   npm install --no-save @bytecodealliance/componentize-js@0.22.0 && node build.mjs
import { componentize } from '@bytecodealliance/componentize-js';
import { writeFile } from 'node:fs/promises';

const { component } = await componentize({
  sourcePath: 'hello.js',
  witPath: 'hello.wit',
  worldName: 'hello',
  disableFeatures: ['http', 'fetch-event'],
});
await writeFile('hello.wasm', component);
