// n-body (after the Computer Language Benchmarks Game): 5 planets, N steps of 0.01.
// Self-checking: the energies before and after; prints ms=<compute ms>. Plain ES2015, no modules.
(function () {
  const N = 20000;
  const PI = Math.PI, SOLAR_MASS = 4 * PI * PI, DAYS = 365.24;
  function body(x, y, z, vx, vy, vz, m) {
    return { x, y, z, vx: vx * DAYS, vy: vy * DAYS, vz: vz * DAYS, m: m * SOLAR_MASS };
  }
  function bodies() {
    return [
      body(0, 0, 0, 0, 0, 0, 1),
      body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04),
      body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
        -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04),
      body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05),
      body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
        2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05),
    ];
  }
  function offset(bs) {
    let px = 0, py = 0, pz = 0;
    for (const b of bs) { px += b.vx * b.m; py += b.vy * b.m; pz += b.vz * b.m; }
    bs[0].vx = -px / SOLAR_MASS; bs[0].vy = -py / SOLAR_MASS; bs[0].vz = -pz / SOLAR_MASS;
  }
  function energy(bs) {
    let e = 0;
    for (let i = 0; i < bs.length; i++) {
      const b = bs[i];
      e += 0.5 * b.m * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
      for (let j = i + 1; j < bs.length; j++) {
        const c = bs[j], dx = b.x - c.x, dy = b.y - c.y, dz = b.z - c.z;
        e -= (b.m * c.m) / Math.sqrt(dx * dx + dy * dy + dz * dz);
      }
    }
    return e;
  }
  function advance(bs, dt) {
    const n = bs.length;
    for (let i = 0; i < n; i++) {
      const b = bs[i];
      for (let j = i + 1; j < n; j++) {
        const c = bs[j], dx = b.x - c.x, dy = b.y - c.y, dz = b.z - c.z;
        const d2 = dx * dx + dy * dy + dz * dz, mag = dt / (d2 * Math.sqrt(d2));
        b.vx -= dx * c.m * mag; b.vy -= dy * c.m * mag; b.vz -= dz * c.m * mag;
        c.vx += dx * b.m * mag; c.vy += dy * b.m * mag; c.vz += dz * b.m * mag;
      }
    }
    for (const b of bs) { b.x += dt * b.vx; b.y += dt * b.vy; b.z += dt * b.vz; }
  }
  const t0 = Date.now();
  const bs = bodies();
  offset(bs);
  const e0 = energy(bs);
  for (let i = 0; i < N; i++) advance(bs, 0.01);
  const result = e0.toFixed(9) + " " + energy(bs).toFixed(9);
  const ms = Date.now() - t0;
  if (result !== "-0.169075164 -0.169089263") throw new Error("wrong result: " + result);
  console.log("ms=" + ms);
})();
