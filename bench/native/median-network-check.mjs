/**
 * The proof behind wasm/kernels/assembly/median.ts's 3x3x3 network (median333, and
 * bench/native/kernels.c's median_net): a min/max network selects the k-th of n for every input
 * if and only if it does for every input of zeros and ones (the 0-1 principle: min and max
 * commute with any monotone map, so thresholding an input at each of its values gives 0-1 inputs
 * whose outputs pin the real one). Here the same exchanges, in the same order, on all 2^27 0-1
 * inputs, 32 at a time in the bits of an int (min = and, max = or): `node bench/native/median-network-check.mjs`
 * (about 15 s). Exits 1 if any input's output is not its 14th smallest.
 */
const mn = (a, b) => a & b,
  mx = (a, b) => a | b;
// The sorted 9 of three sorted columns (positions 0-2, 3-5, 6-8): the tableau, then 7 more.
const PRE = [
  [0, 3],
  [3, 6],
  [0, 3],
  [1, 4],
  [4, 7],
  [1, 4],
  [2, 5],
  [5, 8],
  [2, 5],
];
const FIN = [
  [1, 3],
  [2, 4],
  [2, 6],
  [2, 3],
  [4, 6],
  [5, 7],
  [5, 6],
];
function sort9(v) {
  for (const [i, j] of [...PRE, ...FIN]) {
    const a = v[i],
      b = v[j];
    v[i] = mn(a, b);
    v[j] = mx(a, b);
  }
  return v;
}
function med3(a, b, c) {
  return mx(mn(a, b), mn(mx(a, b), c));
}
/** x: the 27 inputs at dz * 9 + dy * 3 + dx; columns along dz sorted, per dx the sorted 9, then the selection. */
function net(x) {
  const S = [];
  for (let dx = 0; dx < 3; dx++) {
    const v = [];
    for (let dy = 0; dy < 3; dy++) {
      let a = x[dy * 3 + dx],
        b = x[9 + dy * 3 + dx],
        c = x[18 + dy * 3 + dx];
      let t = mn(a, b);
      b = mx(a, b);
      a = t;
      t = mn(b, c);
      c = mx(b, c);
      b = t;
      t = mn(a, b);
      b = mx(a, b);
      a = t;
      v.push(a, b, c);
    }
    S.push(sort9(v));
  }
  const [A, B, C] = S;
  const L = [5, 6, 7, 8].map((r) => mn(mn(A[r], B[r]), C[r]));
  const H = [0, 1, 2, 3].map((r) => mx(mx(A[r], B[r]), C[r]));
  const M = [2, 3, 4, 5, 6].map((r) => med3(A[r], B[r], C[r]));
  const [a0, a1, a2, a3] = L,
    [b0, b1, b2, b3] = H;
  const p = mx(a0, b0),
    q = mn(a2, b2),
    e3 = mx(a2, b2),
    e1 = mn(p, q),
    e2 = mx(p, q);
  const o0 = mn(a1, b1),
    pp = mx(a1, b1),
    qq = mn(a3, b3),
    o1 = mn(pp, qq),
    o2 = mx(pp, qq);
  const y1 = mn(o0, e1),
    y2 = mx(o0, e1),
    y3 = mn(o1, e2),
    y4 = mx(o1, e2),
    y5 = mn(o2, e3),
    y6 = mx(o2, e3);
  return mn(mn(mn(y6, mx(M[0], y5)), mn(mx(M[1], y4), mx(M[2], y3))), mn(mx(M[3], y2), mx(M[4], y1)));
}
const LOW = [0xaaaaaaaa, 0xcccccccc, 0xf0f0f0f0, 0xff00ff00, 0xffff0000].map((x) => x | 0);
const lanePop = [];
for (let l = 0; l < 32; l++) {
  let c = 0;
  for (let b = 0; b < 5; b++) if ((l >> b) & 1) c++;
  lanePop.push(c);
}
const maskAtLeast = [];
for (let t = 0; t <= 33; t++) {
  let m = 0;
  for (let l = 0; l < 32; l++) if (lanePop[l] >= t) m |= 1 << l;
  maskAtLeast.push(m | 0);
}
let bad = 0;
const x = new Array(27);
for (let b = 0; b < 5; b++) x[b] = LOW[b];
for (let hi = 0; hi < 1 << 22; hi++) {
  let h = 0;
  for (let b = 0; b < 22; b++) {
    const bit = (hi >> b) & 1;
    x[5 + b] = bit ? -1 : 0;
    h += bit;
  }
  const need = 14 - h;
  const exp = need <= 0 ? -1 : need > 5 ? 0 : maskAtLeast[need];
  if ((net(x) | 0) !== exp) {
    bad++;
    if (bad < 5) console.log('bad', hi);
  }
}
console.log(bad === 0 ? 'the network gives the 14th of 27 on all 2^27 0-1 inputs' : `${bad} input groups of 32 wrong`);
if (bad) process.exit(1);
