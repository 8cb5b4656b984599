// Builds hello.wasm, a JavaScript component (StarlingMonkey, about 12 MB), with componentize-js
// from npm, with every WASI feature turned off so that the component imports nothing:
//   npm install --no-save @bytecodealliance/componentize-js@0.22.0 && node build.mjs
import { componentize } from '@bytecodealliance/componentize-js';
import { writeFile } from 'node:fs/promises';

const { component } = await componentize({
  sourcePath: 'hello.js',
  witPath: 'hello.wit',
  worldName: 'hello',
  disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
});
await writeFile('hello.wasm', component);
