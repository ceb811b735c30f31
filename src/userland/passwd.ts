// The user and group databases of the machine netnest stands for: Debian 12's base-passwd
// /etc/passwd and /etc/group, as getpwnam/getpwuid/getgrnam/getgrgid read them.

export interface Passwd {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Debian 12's base-passwd /etc/passwd. */
export const PASSWD: readonly Passwd[] = [
  ["root", 0, 0],
  ["daemon", 1, 1],
  ["bin", 2, 2],
  ["sys", 3, 3],
  ["sync", 4, 65534],
  ["games", 5, 60],
  ["man", 6, 12],
  ["lp", 7, 7],
  ["mail", 8, 8],
  ["news", 9, 9],
  ["uucp", 10, 10],
  ["proxy", 13, 13],
  ["www-data", 33, 33],
  ["backup", 34, 34],
  ["list", 38, 38],
  ["irc", 39, 39],
  ["_apt", 42, 65534],
  ["nobody", 65534, 65534],
].map(([name, uid, gid]) => ({ name: name as string, uid: uid as number, gid: gid as number }));

/** Debian 12's base-passwd /etc/group. */
export const GROUPS: ReadonlyMap<number, string> = new Map(
  (
    [
      [0, "root"],
      [1, "daemon"],
      [2, "bin"],
      [3, "sys"],
      [4, "adm"],
      [5, "tty"],
      [6, "disk"],
      [7, "lp"],
      [8, "mail"],
      [9, "news"],
      [10, "uucp"],
      [12, "man"],
      [13, "proxy"],
      [15, "kmem"],
      [20, "dialout"],
      [21, "fax"],
      [22, "voice"],
      [24, "cdrom"],
      [25, "floppy"],
      [26, "tape"],
      [27, "sudo"],
      [29, "audio"],
      [30, "dip"],
      [33, "www-data"],
      [34, "backup"],
      [37, "operator"],
      [38, "list"],
      [39, "irc"],
      [40, "src"],
      [42, "shadow"],
      [43, "utmp"],
      [44, "video"],
      [45, "sasl"],
      [46, "plugdev"],
      [50, "staff"],
      [60, "games"],
      [100, "users"],
      [65534, "nogroup"],
    ] as const
  ).map(([gid, name]) => [gid, name]),
);

/** getpwnam */
export function getpwnam(name: string): Passwd | undefined {
  return PASSWD.find((p) => p.name === name);
}

/** getpwuid */
export function getpwuid(uid: number): Passwd | undefined {
  return PASSWD.find((p) => p.uid === uid);
}

/** getgrnam: the gid of a group name. */
export function getgrnam(name: string): number | undefined {
  for (const [gid, n] of GROUPS) if (n === name) return gid;
  return undefined;
}

/** getgrgid: a gid's group name. */
export function getgrgid(gid: number): string | undefined {
  return GROUPS.get(gid);
}
