// The delay distribution tables iproute2 installs as /usr/lib/x86_64-linux-gnu/tc/*.dist,
// computed here the way netem/normal.c, pareto.c and paretonormal.c generate them (4096 values
// scaled by NETEM_DIST_SCALE), so `distribution normal` needs no file.

const TABLESIZE = 16384;
const TABLEFACTOR = 8192;
const SHRT_MIN = -32768;
const SHRT_MAX = 32767;

/** rint(): round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** erf(x) from its series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!, whose terms are all positive. */
function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x > 6) return 1;
  let term = x;
  let sum = x;
  const x2 = 2 * x * x;
  for (let n = 1; n < 500; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
}

/** normal.c's table of x by rint(TABLESIZE·Φ(x)), x stepping by .00005 from −10. */
function normalInverse(): Float64Array {
  const table = new Float64Array(TABLESIZE + 1);
  for (let x = -10.0; x < 10.05; x += 0.00005) {
    const i = rint(TABLESIZE * (0.5 + 0.5 * erf(x / Math.sqrt(2.0))));
    table[i] = x;
  }
  return table;
}

const clampShort = (v: number) => Math.min(SHRT_MAX, Math.max(SHRT_MIN, v));

function normalTable(): Int16Array {
  const inv = normalInverse();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0, n = 0; i < TABLESIZE; i += 4) out[n++] = clampShort(rint((inv[i] as number) * TABLEFACTOR));
  return out;
}

function paretoValue(i: number): number {
  let d = (65536 - 4 * i) / 65536;
  d = 1.0 / d ** (1.0 / 3.0);
  d -= 1.5;
  d *= (4.0 / 3.0) * TABLEFACTOR;
  if (d > 32767) d = 32767;
  return Math.trunc(rint(d));
}

function paretoTable(): Int16Array {
  const out = new Int16Array(TABLESIZE / 4);
  let n = 0;
  for (let i = 65536; i > 0; i -= 16) {
    let d = i / 65536;
    d = 1.0 / d ** (1.0 / 3.0);
    d -= 1.5;
    d *= (4.0 / 3.0) * TABLEFACTOR;
    if (d > 32767) d = 32767;
    out[n++] = rint(d);
  }
  return out;
}

function paretoNormalTable(): Int16Array {
  const inv = normalInverse();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0, n = 0; i < TABLESIZE; i += 4) {
    const normvalue = Math.trunc(rint((inv[i] as number) * TABLEFACTOR));
    const parvalue = paretoValue(i);
    out[n++] = clampShort(Math.trunc((normvalue + 3 * parvalue) / 4));
  }
  return out;
}

/** get_distribution(): the table for NAME, or undefined where no such file is installed. */
export function netemDistribution(name: string): Int16Array | undefined {
  switch (name) {
    case "normal":
      return normalTable();
    case "pareto":
      return paretoTable();
    case "paretonormal":
      return paretoNormalTable();
    default:
      return undefined;
  }
}

/** Where Debian's tc looks for the tables (get_tc_lib() + "/NAME.dist"). */
export function distPath(name: string): string {
  return `/usr/lib/x86_64-linux-gnu/tc//${name}.dist`;
}
