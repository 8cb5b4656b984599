// Node's stream module for apps in boxes, made by JsBundle into every box's bundle after the other
// built-ins: Readable (flowing and paused by data listeners, pipe, async iteration, Readable.from),
// Writable (one write at a time, final, finish), Duplex, Transform, PassThrough, pipeline and
// finished (callback and stream/promises forms). Object mode and encodings as Node has them; no
// highWaterMark back-pressure (a box's data is in memory: write always answers true). One function
// of the other built-ins.
(function (node) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };
  const later = (f) => Promise.resolve().then(f);

  const stream = once(() => {
    const EventEmitter = node.events();
    const { Buffer } = node.buffer();
    const asBuffer = (chunk, encoding) =>
      typeof chunk === "string" ? Buffer.from(chunk, encoding || "utf8") : chunk instanceof Uint8Array && !Buffer.isBuffer(chunk) ? Buffer.from(chunk) : chunk;

    class Stream extends EventEmitter {
      pipe(dest, opts) { return pipeTo(this, dest, opts); }
    }

    // -------------------------------------------------------------------------------- Readable
    function initReadable(s, o) {
      o = o || {};
      s._r = { buffer: [], ended: false, endEmitted: false, flowing: null, objectMode: !!(o.objectMode || o.readableObjectMode),
        encoding: o.encoding || null, reading: false, scheduled: false };
      s.readable = true;
      s.destroyed = false;
      if (typeof o.read === "function") s._read = o.read;
      if (typeof o.destroy === "function") s._destroy = o.destroy;
    }
    function schedule(s) {
      const r = s._r;
      if (r.scheduled) return;
      r.scheduled = true;
      later(() => { r.scheduled = false; flow(s); });
    }
    function flow(s) {
      const r = s._r;
      while (r.flowing && r.buffer.length && !s.destroyed) s.emit("data", r.buffer.shift());
      const paused = !r.flowing && s.listenerCount("readable") > 0;
      if (paused && (r.buffer.length || (r.ended && !r.endEmitted))) {
        s.emit("readable");
        if (r.buffer.length) return; // read() drains it and schedules again
      }
      if (r.ended && !r.buffer.length && !r.endEmitted && r.flowing !== false) {
        r.endEmitted = true;
        s.readable = false;
        s.emit("end");
        if (s._autoClose !== false) later(() => s.emit("close"));
        return;
      }
      if ((r.flowing || paused) && !r.ended && !r.reading && !s.destroyed) {
        r.reading = true;
        later(() => { r.reading = false; if (!r.ended && !s.destroyed) s._read(); if (r.buffer.length || r.ended) schedule(s); });
      }
    }
    const readableMethods = {
      _read() { },
      push(chunk, encoding) {
        const r = this._r;
        if (chunk === null) { r.ended = true; schedule(this); return false; }
        if (!r.objectMode) {
          chunk = asBuffer(chunk, encoding);
          if (r.encoding) chunk = chunk.toString(r.encoding);
          if (chunk.length === 0) return true;
        }
        r.buffer.push(chunk);
        schedule(this);
        return true;
      },
      unshift(chunk) { this._r.buffer.unshift(chunk); },
      setEncoding(enc) {
        this._r.encoding = enc;
        this._r.buffer = this._r.buffer.map((c) => (typeof c === "string" ? c : c.toString(enc)));
        return this;
      },
      read() {
        const r = this._r;
        schedule(this); // more to read, or the end to announce
        if (!r.buffer.length) return null;
        if (r.objectMode) return r.buffer.shift();
        const all = r.encoding ? r.buffer.join("") : Buffer.concat(r.buffer);
        r.buffer = [];
        return all;
      },
      resume() { this._r.flowing = true; schedule(this); return this; },
      pause() { this._r.flowing = false; return this; },
      isPaused() { return this._r.flowing === false; },
      destroy(err) {
        if (this.destroyed) return this;
        this.destroyed = true;
        const done = (e) => later(() => { if (e) this.emit("error", e); this.emit("close"); });
        if (this._destroy) this._destroy(err || null, done); else done(err);
        return this;
      },
      [Symbol.asyncIterator]() {
        const s = this;
        const waiting = [];
        let error = null;
        const wake = () => { while (waiting.length) waiting.shift()(); };
        s.on("data", (c) => { s._r.queue = s._r.queue || []; s._r.queue.push(c); wake(); });
        s.on("end", wake);
        s.on("error", (e) => { error = e; wake(); });
        return {
          next() {
            return new Promise(function step(resolve, reject) {
              const q = s._r.queue || [];
              if (q.length) return resolve({ value: q.shift(), done: false });
              if (error) return reject(error);
              if (s._r.endEmitted || s.destroyed) return resolve({ value: undefined, done: true });
              waiting.push(() => step(resolve, reject));
            });
          },
          return() { s.destroy(); return Promise.resolve({ value: undefined, done: true }); },
          [Symbol.asyncIterator]() { return this; },
        };
      },
    };
    function addReadableListener(s, event) {
      if (event === "data" && s._r.flowing !== false) s.resume();
      if (event === "readable" || (event === "end" && s._r.ended)) schedule(s);
    }

    class Readable extends Stream {
      constructor(o) { super(); initReadable(this, o); }
      addListener(event, fn) { super.addListener(event, fn); addReadableListener(this, event); return this; }
      static from(iterable, o) {
        const r = new Readable(Object.assign({ objectMode: true }, o));
        const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
        let busy = false;
        r._read = () => {
          if (busy) return;
          busy = true;
          Promise.resolve(it.next()).then((step) => {
            busy = false;
            if (step.done) r.push(null); else r.push(step.value);
          }, (e) => r.destroy(e));
        };
        return r;
      }
    }
    Object.assign(Readable.prototype, readableMethods);

    // -------------------------------------------------------------------------------- Writable
    function initWritable(s, o) {
      o = o || {};
      s._w = { queue: [], writing: false, ending: false, finished: false, objectMode: !!(o.objectMode || o.writableObjectMode),
        decodeStrings: o.decodeStrings !== false, endCallbacks: [] };
      s.writable = true;
      s.destroyed = false;
      if (typeof o.write === "function") s._write = o.write;
      if (typeof o.final === "function") s._final = o.final;
      if (typeof o.destroy === "function") s._destroy = o.destroy;
    }
    function nextWrite(s) {
      const w = s._w;
      if (w.writing || s.destroyed) return;
      if (w.queue.length) {
        const { chunk, encoding, cb } = w.queue.shift();
        w.writing = true;
        s._write(chunk, encoding, (err) => {
          w.writing = false;
          if (err) { s.destroyed = true; later(() => { if (cb) cb(err); s.emit("error", err); }); return; }
          later(() => { if (cb) cb(); nextWrite(s); });
        });
        return;
      }
      if (w.ending && !w.finished) {
        w.finished = true;
        const finish = (err) => later(() => {
          if (err) { s.emit("error", err); return; }
          s.writable = false;
          s.emit("finish");
          w.endCallbacks.forEach((f) => f());
          if (s._autoClose !== false) later(() => s.emit("close"));
        });
        if (s._final) s._final(finish); else finish();
      }
    }
    const writableMethods = {
      _write(chunk, encoding, cb) { cb(); },
      write(chunk, encoding, cb) {
        if (typeof encoding === "function") { cb = encoding; encoding = null; }
        const w = this._w;
        if (w.ending) {
          const e = new Error("write after end");
          e.code = "ERR_STREAM_WRITE_AFTER_END";
          later(() => { if (cb) cb(e); this.emit("error", e); });
          return false;
        }
        if (!w.objectMode && typeof chunk === "string" && w.decodeStrings) {
          chunk = Buffer.from(chunk, encoding || "utf8");
          encoding = "buffer";
        } else if (!w.objectMode) {
          chunk = asBuffer(chunk, encoding);
          encoding = typeof chunk === "string" ? encoding || "utf8" : "buffer";
        }
        w.queue.push({ chunk, encoding, cb });
        nextWrite(this);
        return true;
      },
      end(chunk, encoding, cb) {
        if (typeof chunk === "function") { cb = chunk; chunk = null; }
        if (typeof encoding === "function") { cb = encoding; encoding = null; }
        if (chunk !== null && chunk !== undefined) this.write(chunk, encoding);
        if (cb) this._w.endCallbacks.push(cb);
        this._w.ending = true;
        nextWrite(this);
        return this;
      },
      cork() { },
      uncork() { },
      setDefaultEncoding() { return this; },
    };

    class Writable extends Stream {
      constructor(o) { super(); initWritable(this, o); }
      destroy(err) { return readableMethods.destroy.call(this, err); }
    }
    Object.assign(Writable.prototype, writableMethods);

    // ------------------------------------------------------------------ Duplex, Transform, PassThrough
    class Duplex extends Stream {
      constructor(o) {
        super();
        initReadable(this, o);
        initWritable(this, o);
        this._autoClose = false;
        this.once("finish", () => { if (this._r.endEmitted) this.emit("close"); });
        this.once("end", () => { if (this._w.finished) later(() => this.emit("close")); });
      }
      addListener(event, fn) { super.addListener(event, fn); addReadableListener(this, event); return this; }
    }
    Object.assign(Duplex.prototype, writableMethods, readableMethods);

    class Transform extends Duplex {
      constructor(o) {
        super(o);
        o = o || {};
        if (typeof o.transform === "function") this._transform = o.transform;
        if (typeof o.flush === "function") this._flush = o.flush;
      }
      _transform(chunk, encoding, cb) { cb(null, chunk); }
      _write(chunk, encoding, cb) {
        this._transform(chunk, encoding, (err, data) => {
          if (err) return cb(err);
          if (data !== undefined && data !== null) this.push(data);
          cb();
        });
      }
      _final(cb) {
        const end = (err, data) => {
          if (err) return cb(err);
          if (data !== undefined && data !== null) this.push(data);
          this.push(null);
          cb();
        };
        if (this._flush) this._flush(end); else end();
      }
    }
    class PassThrough extends Transform { }

    // ------------------------------------------------------------------------- pipe, pipeline
    function pipeTo(src, dest, opts) {
      const end = !opts || opts.end !== false;
      src.on("data", (chunk) => dest.write(chunk));
      if (end) src.on("end", () => dest.end());
      dest.emit("pipe", src);
      return dest;
    }
    function finished(s, cb) {
      let done = false;
      const call = (err) => { if (!done) { done = true; cb(err || undefined); } };
      s.on("error", call);
      if (s._w) s.on("finish", () => call()); else s.on("end", () => call());
      return () => { done = true; };
    }
    function pipeline(...streams) {
      const cb = typeof streams[streams.length - 1] === "function" ? streams.pop() : () => { };
      if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
      streams = streams.map((s, i) => (i === 0 && !(s instanceof Stream) && (s[Symbol.iterator] || s[Symbol.asyncIterator]) ? Readable.from(s) : s));
      let failed = false;
      const fail = (err) => {
        if (failed) return;
        failed = true;
        streams.forEach((s) => { if (!s.destroyed && s.destroy) s.destroy(); });
        cb(err);
      };
      for (let i = 0; i < streams.length - 1; i++) {
        streams[i].on("error", fail);
        pipeTo(streams[i], streams[i + 1]);
      }
      const last = streams[streams.length - 1];
      finished(last, (err) => (err ? fail(err) : failed || cb()));
      return last;
    }
    const promises = {
      pipeline: (...streams) => new Promise((resolve, reject) => pipeline(...streams, (e) => (e ? reject(e) : resolve()))),
      finished: (s) => new Promise((resolve, reject) => finished(s, (e) => (e ? reject(e) : resolve()))),
    };
    Stream.Stream = Stream;
    Object.assign(Stream, { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, promises });
    return Stream;
  });

  node.stream = stream;
  node["stream/promises"] = () => stream().promises;
  return node;
});
