// The FIB's two forms (a short list for small tables; a hash and the /16 + /24 directory for
// large ones) against a plain model of fib_table_insert/delete/lookup: the same routes in, the same
// dumps and lookups out, across random operations that overlap prefixes, stack aliases (tos,
// priority), mix route types and kill next hops.
import { describe, expect, test } from "vitest";
import type { NetDevice } from "../src/kernel/core/dev.js";
import {
  type FibAlias,
  type FibInfo,
  type FibTable,
  fibTableDelete,
  fibTableDump,
  fibTableFlush,
  fibTableInsert,
  fibTableLookup,
  fibTableResize,
} from "../src/kernel/ipv4/fib_table.js";
import { KernelError } from "../src/kernel/syscalls.js";
import {
  IFF_UP,
  RTN_BLACKHOLE,
  RTN_LOCAL,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_UNICAST,
  RTN_UNREACHABLE,
} from "../src/kernel/uapi.js";

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const mask = (len: number) => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/** The model: every alias in a flat list, in each prefix's kernel order. */
interface Model {
  aliases: FibAlias[];
}

function modelInsert(
  m: Model,
  fa: FibAlias,
  opt: { create?: boolean; excl?: boolean; replace?: boolean; append?: boolean },
): string {
  const mine = m.aliases.filter((x) => x.dst === fa.dst && x.dstLen === fa.dstLen);
  const same = mine.filter((x) => x.tos === fa.tos && x.fi.priority === fa.fi.priority);
  if (same.length > 0) {
    if (opt.excl) return "EEXIST";
    if (opt.replace) {
      m.aliases[m.aliases.indexOf(same[0] as FibAlias)] = fa;
      return "ok";
    }
    if (
      same.some(
        (x) =>
          x.type === fa.type &&
          x.fi.scope === fa.fi.scope &&
          x.fi.nh?.dev === fa.fi.nh?.dev &&
          x.fi.nh?.gw === fa.fi.nh?.gw,
      )
    )
      return "EEXIST";
  }
  if (!opt.create && !opt.replace) return "ENOENT";
  const before = mine.find(
    (x) =>
      x.tos < fa.tos ||
      (x.tos === fa.tos &&
        (x.fi.priority > fa.fi.priority || (!opt.append && x.fi.priority === fa.fi.priority))),
  );
  if (before) m.aliases.splice(m.aliases.indexOf(before), 0, fa);
  else if (mine.length > 0) m.aliases.splice(m.aliases.indexOf(mine[mine.length - 1] as FibAlias) + 1, 0, fa);
  else m.aliases.push(fa);
  return "ok";
}

function modelDump(m: Model): FibAlias[] {
  return [...m.aliases].sort((a, b) => a.dst - b.dst || b.dstLen - a.dstLen);
}

const ERRORS: Record<number, string> = {
  [RTN_UNREACHABLE]: "EHOSTUNREACH",
  [RTN_BLACKHOLE]: "EINVAL",
  [RTN_PROHIBIT]: "EACCES",
  [RTN_THROW]: "EAGAIN",
};

function modelLookup(m: Model, daddr: number, flow: { tos: number; scope: number; oif: number }): string {
  const lens = [...new Set(m.aliases.map((fa) => fa.dstLen))].sort((a, b) => b - a);
  for (const len of lens) {
    for (const fa of m.aliases) {
      if (fa.dstLen !== len || (daddr & mask(len)) >>> 0 !== fa.dst) continue;
      if (fa.tos && fa.tos !== flow.tos) continue;
      if (fa.fi.scope < flow.scope) continue;
      const err = ERRORS[fa.type];
      if (err) return err;
      const nh = fa.fi.nh as NonNullable<FibInfo["nh"]>;
      if (!(nh.dev.flags & IFF_UP)) continue;
      if (flow.oif && flow.oif !== nh.dev.ifindex) continue;
      return `${fa.dst}/${len} type ${fa.type} tos ${fa.tos} prio ${fa.fi.priority} dev ${nh.dev.ifindex}`;
    }
  }
  return "none";
}

function tableLookup(tb: FibTable, daddr: number, flow: { tos: number; scope: number; oif: number }): string {
  const res = fibTableLookup(tb, { daddr, ...flow });
  if (res === undefined) return "none";
  if (res instanceof KernelError) return res.errno;
  const nh = res.fi.nh as NonNullable<FibInfo["nh"]>;
  return `${(daddr & mask(res.prefixlen)) >>> 0}/${res.prefixlen} type ${res.type} tos ${res.tos} prio ${res.fi.priority} dev ${nh.dev.ifindex}`;
}

function show(list: readonly FibAlias[]): string[] {
  return list.map(
    (fa) =>
      `${fa.dst}/${fa.dstLen} tos ${fa.tos} type ${fa.type} prio ${fa.fi.priority} dev ${fa.fi.nh?.dev.ifindex} gw ${fa.fi.nh?.gw}`,
  );
}

function run(seed: number, form: "list" | "big" | "dir", ops: number): void {
  const r = rng(seed);
  const devs = [1, 2, 3].map(
    (ifindex) => ({ ifindex, flags: IFF_UP, carrier: true }) as unknown as NetDevice,
  );
  // A few shared fib_infos, as fib_find_info makes them, and some of their own.
  const infos: FibInfo[] = [];
  for (const dev of devs)
    for (const priority of [0, 10])
      infos.push({
        protocol: 4,
        scope: r() % 4 === 0 ? 253 : 0,
        priority,
        prefsrc: 0,
        nh: { dev, gw: 0x0a000001 + (r() % 3), scope: 253, flags: 0 },
      });
  const tb: FibTable = { id: 254, list: [], listRes: undefined, listOctets: undefined, big: undefined };
  const model: Model = { aliases: [] };
  if (form !== "list") fibTableResize(tb, { dir: form === "dir" });
  // Prefixes crowd into 10.0.0.0/14 so that they nest; a few short ones cover everything.
  const prefix = (): [number, number] => {
    const len = r() % 10 === 0 ? r() % 12 : 14 + (r() % 19);
    return [((0x0a000000 | (r() & 0x3ffff)) & mask(len)) >>> 0, len];
  };
  const typeOf = () =>
    [
      RTN_UNICAST,
      RTN_UNICAST,
      RTN_UNICAST,
      RTN_LOCAL,
      RTN_UNREACHABLE,
      RTN_THROW,
      RTN_BLACKHOLE,
      RTN_PROHIBIT,
    ][r() % 8] as number;
  const live: [number, number][] = [];
  for (let i = 0; i < ops; i++) {
    const op = r() % 20;
    if (op < 11 || live.length === 0) {
      const [dst, dstLen] =
        op < 3 && live.length > 0 ? (live[r() % live.length] as [number, number]) : prefix();
      const fi =
        r() % 5 === 0
          ? { ...(infos[r() % infos.length] as FibInfo) }
          : (infos[r() % infos.length] as FibInfo);
      const fa: FibAlias = {
        table: 254,
        dst,
        dstLen,
        tos: r() % 6 === 0 ? 8 * (1 + (r() % 2)) : 0,
        type: typeOf(),
        fi,
      };
      const opt = [
        { create: true, excl: true },
        { create: true },
        { create: true, append: true },
        { replace: true },
        { create: true, replace: true },
        {},
      ][r() % 6] as Record<string, boolean>;
      const want = modelInsert(model, fa, opt);
      let got = "ok";
      try {
        fibTableInsert(tb, fa, opt);
      } catch (err) {
        got = (err as KernelError).errno;
      }
      expect(got, `insert ${i}`).toBe(want);
      if (want === "ok") live.push([dst, dstLen]);
    } else if (op < 15) {
      const [dst, dstLen] = live[r() % live.length] as [number, number];
      const key = {
        dst,
        dstLen,
        tos: r() % 4 === 0 ? 8 : 0,
        ...(r() % 2 ? { priority: [0, 10][r() % 2] } : {}),
      };
      const at = model.aliases.findIndex(
        (fa) =>
          fa.dst === dst &&
          fa.dstLen === dstLen &&
          fa.tos === key.tos &&
          (key.priority === undefined || fa.fi.priority === key.priority),
      );
      let got: string;
      try {
        const gone = fibTableDelete(tb, key);
        got = show([gone])[0] as string;
      } catch (err) {
        got = (err as KernelError).errno;
      }
      expect(got, `delete ${i}`).toBe(at < 0 ? "ESRCH" : (show(model.aliases.splice(at, 1))[0] as string));
    } else if (op < 16) {
      // A device goes down and back (dead next hops), or its routes are flushed.
      const dev = devs[r() % devs.length] as unknown as { flags: number; ifindex: number };
      if (r() % 2) dev.flags ^= IFF_UP;
      else {
        const dead = (fa: FibAlias) => fa.fi.nh?.dev.ifindex === dev.ifindex && fa.type === RTN_UNICAST;
        fibTableFlush(tb, dead);
        model.aliases = model.aliases.filter((fa) => !dead(fa));
      }
    } else {
      for (let k = 0; k < 20; k++) {
        const daddr = r() % 8 === 0 ? r() >>> 0 : (0x0a000000 | (r() & 0x3ffff)) >>> 0;
        const flow = {
          tos: r() % 5 === 0 ? 8 : 0,
          scope: r() % 5 === 0 ? 253 : 0,
          oif: r() % 5 === 0 ? 1 + (r() % 3) : 0,
        };
        expect(tableLookup(tb, daddr, flow), `lookup ${i}.${k} of ${daddr}`).toBe(
          modelLookup(model, daddr, flow),
        );
      }
    }
    if (i % 50 === 49) expect(show(fibTableDump(tb)), `dump ${i}`).toEqual(show(modelDump(model)));
  }
  expect(show(fibTableDump(tb))).toEqual(show(modelDump(model)));
}

describe("FIB table forms against the model", () => {
  for (const seed of [1, 2, 3]) {
    test(`a small table (list), seed ${seed}`, () => run(seed, "list", 3000));
    test(`a large table (hash), seed ${seed}`, () => run(seed, "big", 3000));
    test(`a large table with the directory, seed ${seed}`, () => run(seed, "dir", 3000));
  }
});
