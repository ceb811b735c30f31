import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryFs, MountableFs, OverlayFs, parse } from "just-bash";
import { describe, expect, it } from "vitest";
import { KernelError, type Task } from "../src/kernel/syscalls.js";
import { runScript, type ShellKernel, shellJoin } from "../src/shell/index.js";
import { mergesStdoutAndStderr } from "../src/shell/merge.js";
import type { Program } from "../src/userland/program.js";

// Stub tasks: the shell only passes them through to programs and the kernel surface.
function fakeTask(name: string): Task {
  return { name, uid: 0 } as unknown as Task;
}
const taskName = (task: Task): string => (task as unknown as { name: string }).name;

interface FakeKernel extends ShellKernel {
  readonly sysctls: Map<string, Map<string, string>>;
  now: number;
  readonly sleeps: string[];
}

function fakeKernel(): FakeKernel {
  const sysctls = new Map<string, Map<string, string>>();
  const table = (task: Task): Map<string, string> => {
    let t = sysctls.get(taskName(task));
    if (!t) {
      t = new Map([
        ["net/ipv4/ip_forward", "0\n"],
        ["net/ipv4/conf/all/forwarding", "0\n"],
        ["net/ipv4/conf/lo/forwarding", "0\n"],
        ["net/core/somaxconn", "4096\n"],
      ]);
      sysctls.set(taskName(task), t);
    }
    return t;
  };
  const k: FakeKernel = {
    sysctls,
    now: 0,
    sleeps: [],
    sysctlRead(task, path) {
      const v = table(task).get(path);
      if (v === undefined) throw new KernelError("ENOENT");
      return v;
    },
    sysctlWrite(task, path, value) {
      const t = table(task);
      if (!t.has(path)) throw new KernelError("ENOENT");
      const v = value.trim();
      if (!/^-?\d+$/.test(v)) throw new KernelError("EINVAL");
      t.set(path, `${v}\n`);
    },
    sysctlList(task) {
      return [...table(task).keys()].sort();
    },
    async clockNanosleep(task, ns) {
      k.now += ns;
      k.sleeps.push(`${taskName(task)}:${ns}`);
    },
  };
  return k;
}

const whoami: Program = (_argv, proc) => ({ stdout: `${taskName(proc.task)}\n`, stderr: "", exitCode: 0 });

// `netns NAME CMD...`: like `ip netns exec`, runs CMD as the task named NAME.
const netns: Program = (argv, proc) => {
  const [, name, ...cmd] = argv;
  if (!name) return { stdout: "", stderr: "usage\n", exitCode: 1 };
  return proc.spawn(cmd, fakeTask(name));
};

const upper: Program = (_argv, proc) => ({ stdout: proc.stdin.toUpperCase(), stderr: "", exitCode: 0 });

const boom: Program = () => {
  throw new TypeError("cannot read properties of undefined\n    at somewhere (x.ts:1:1)");
};

const argvDump: Program = (argv) => ({ stdout: `${JSON.stringify(argv)}\n`, stderr: "", exitCode: 0 });

// `both X`: X-out on stdout, X-err on stderr, status 1 (like `ip link show nosuch` with output).
const both: Program = (argv) => ({ stdout: `${argv[1]}-out\n`, stderr: `${argv[1]}-err\n`, exitCode: 1 });

const programs = new Map<string, Program>([
  ["whoami-task", whoami],
  ["netns", netns],
  ["upper", upper],
  ["boom", boom],
  ["argv", argvDump],
  ["both", both],
]);

function run(script: string, extra: Parameters<typeof runScript>[1] = {}) {
  const kernel = extra.kernel ?? fakeKernel();
  return runScript(script, { task: fakeTask("init"), kernel, programs, ...extra });
}

describe("task propagation", () => {
  it("runs commands as the init task by default", async () => {
    const r = await run("whoami-task");
    expect(r).toEqual({ stdout: "init\n", stderr: "", exitCode: 0 });
  });

  it("carries a spawned task into nested bash -c, pipes and command substitution", async () => {
    const r = await run(`
netns red bash -c 'whoami-task; whoami-task | cat; echo "sub=$(whoami-task)"; bash -c "sh -c whoami-task"'
whoami-task
netns blue netns green whoami-task
`);
    expect(r.stdout).toBe("red\nred\nsub=red\nred\ninit\ngreen\n");
    expect(r.exitCode).toBe(0);
  });

  it("runs a script file inside the namespace", async () => {
    const fs = new InMemoryFs();
    await fs.mkdir("/work", { recursive: true });
    await fs.writeFile("/work/inner.sh", "whoami-task\necho args=$*\n");
    const r = await run("netns red sh inner.sh a b\nnetns red bash ./inner.sh c", { fs, cwd: "/work" });
    expect(r.stdout).toBe("red\nargs=a b\nred\nargs=c\n");
  });

  it("spawn quotes argv and passes exported variables, not functions", async () => {
    const r = await run(`
export X=1; Y=2
f() { echo f; }
netns red argv "a b" "it's" '$HOME' '' '*'
netns red bash -c 'echo "X=$X Y=$Y"; f'
netns red if
netns red A=B
`);
    expect(r.stdout).toBe(`["argv","a b","it's","$HOME","","*"]\nX=1 Y=\n`);
    expect(r.stderr).toBe(
      "bash: line 1: f: command not found\nbash: if: command not found\nbash: A=B: command not found\n",
    );
  });

  it("gives the spawned command the caller's stdin", async () => {
    const r = await run("echo hello | netns red upper; echo x | netns red bash -c 'cat; whoami-task'");
    expect(r.stdout).toBe("HELLO\nx\nred\n");
  });
});

describe("shellJoin", () => {
  it("keeps plain words and single-quotes the rest", () => {
    expect(shellJoin(["ip", "-4", "addr", "show", "dev", "veth0"])).toBe("ip -4 addr show dev veth0");
    expect(shellJoin(["bash", "-c", "echo 'x' $y"])).toBe(`bash -c 'echo '\\''x'\\'' $y'`);
    expect(shellJoin(["a=b", "c=d"])).toBe("'a=b' c=d");
  });
});

describe("bash behaviour", () => {
  // What bash 5.2 printed: /dev/null reads as empty, is a character device, not a regular file.
  it("reads /dev/null as an empty character device", async () => {
    const r = await run(
      'cat < /dev/null; echo "rc $?"; read x < /dev/null; echo "r $?"; wc -c < /dev/null; ' +
        "[ -c /dev/null ] && echo chardev; [ -f /dev/null ] || echo notfile; echo hi > /dev/null; cat /dev/null",
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("rc 0\nr 1\n0\nchardev\nnotfile\n");
  });

  it("reports an unknown command like bash -c does", async () => {
    const r = await run("nosuch-cmd arg; echo rc=$?");
    expect(r.stderr).toBe("bash: line 1: nosuch-cmd: command not found\n");
    expect(r.stdout).toBe("rc=127\n");
    expect((await run("nosuch-cmd")).exitCode).toBe(127);
  });

  // Each expectation below is what bash 5.2 printed for the same script run as `bash NAME`.
  it("names the script and the line of an unknown command, as bash does", async () => {
    const script = [
      "nosuch; echo rc=$?", // 1
      "f() {",
      '  nosuch-f a b; echo "rc=$? _=$_"',
      "}",
      "f", // 5
      'x=$(nosuch-sub); echo "rc=$? x=$x"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion
      'nosuch-pipe | cat; echo "rc=$? ${PIPESTATUS[*]}"',
      "nosuch-quiet 2>/dev/null; echo rc=$?",
      "bash -c 'nosuch-c'; bash -c 'nosuch-n' NAME",
      "./nope; echo rc=$?", // 10
      "eval 'later() { echo out; echo err >&2; return 3; }'; later; echo rc=$?",
      "set -e",
      "false && true",
      "nosuch-e",
      "echo unreachable",
    ].join("\n");
    const r = await run(script, { scriptName: "c.sh" });
    expect(r.stdout).toBe("rc=127\nrc=127 _=b\nrc=127 x=\nrc=0 127 0\nrc=127\nrc=127\nout\nrc=3\n");
    expect(r.stderr).toBe(
      "c.sh: line 1: nosuch: command not found\n" +
        "c.sh: line 3: nosuch-f: command not found\n" +
        "c.sh: line 6: nosuch-sub: command not found\n" +
        "c.sh: line 7: nosuch-pipe: command not found\n" +
        "bash: line 1: nosuch-c: command not found\n" +
        "NAME: line 1: nosuch-n: command not found\n" +
        "c.sh: line 10: ./nope: No such file or directory\n" +
        "err\n" +
        "c.sh: line 14: nosuch-e: command not found\n",
    );
    expect(r.exitCode).toBe(127);
  });

  it("words an unknown command as dash does under sh (Debian's /bin/sh)", async () => {
    const fs = new InMemoryFs();
    await fs.mkdir("/w", { recursive: true });
    await fs.writeFile("/w/d.sh", "#!/bin/sh\nf() {\n  nosuch-f\n}\nf\necho rc=$?\n");
    const r = await run("sh d.sh; sh -c 'nosuch-c'; sh -c 'nosuch-n' NAME; sh none.sh; echo rc=$?", {
      fs,
      cwd: "/w",
    });
    expect(r.stdout).toBe("rc=127\nrc=2\n");
    expect(r.stderr).toBe(
      "d.sh: 3: nosuch-f: not found\n" +
        "sh: 1: nosuch-c: not found\n" +
        "NAME: 1: nosuch-n: not found\n" +
        "sh: 0: cannot open none.sh: No such file\n",
    );
  });

  it("leaves a missing program to the caller of spawn (ip netns exec)", async () => {
    const r = await run("netns red nosuch-prog a; echo rc=$?");
    expect(r.stderr).toBe("bash: nosuch-prog: command not found\n");
    expect(r.stdout).toBe("rc=127\n");
  });

  it("returns the script's exit status", async () => {
    expect((await run("exit 3")).exitCode).toBe(3);
    expect((await run("false")).exitCode).toBe(1);
    const e = await run("set -e\ntrue\nfalse\necho unreachable");
    expect(e).toEqual({ stdout: "", stderr: "", exitCode: 1 });
  });

  it("sets $0 and positional parameters", async () => {
    expect((await run('echo "$0 $# $1 $2"', { args: ["x", "y z"] })).stdout).toBe("bash 2 x y z\n");
    expect((await run('echo "$0 $@"', { scriptName: "t.sh", args: ["a"] })).stdout).toBe("t.sh a\n");
  });

  it("turns a program's exception into one line on stderr and status 1", async () => {
    const r = await run("boom; echo rc=$?");
    expect(r.stdout).toBe("rc=1\n");
    expect(r.stderr).toBe("netnest: internal error: cannot read properties of undefined\n");
  });

  it("keeps leading whitespace in heredocs", async () => {
    const r = await run("cat <<EOF\n  two\n\tthree\nEOF");
    expect(r.stdout).toBe("  two\n\tthree\n");
  });
});

// Each expectation below is what bash 5.2 printed for the same script.
describe("command name words that expand to several fields", () => {
  it("runs the first field with the rest as arguments", async () => {
    const script = [
      'X="echo hi there"; $X',
      'run() { "$@"; }; run echo ok',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion
      'cmd=(argv arr "a b"); "${cmd[@]}"',
      "set -- printf '<%s>' pos; \"$@\"; echo",
      'E=; $E echo shifted; V=kept $E; echo "V=$V"',
      "{echo,brace}",
      'X="argv 1"; printf "[%s]" $X; echo',
    ].join("\n");
    const r = await run(script);
    expect(r.stdout).toBe('hi there\nok\n["argv","arr","a b"]\n<pos>\nshifted\nV=kept\nbrace\n[argv][1]\n');
    expect(r.stderr).toBe("");
  });

  it("keeps assignments, redirections, the call frame, $? and set -e as bash does", async () => {
    const script = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash expansions
      'X="echo hi there"; W=1 $X; echo "W=${W-unset}"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash expansions
      'show() { echo "W=$W f=${FUNCNAME[0]} n=$#"; }; S=show; W=2 $S a b',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash expansions
      'f() { D=local; $D v=in; R="return 4"; $R; echo no; }; f; echo "rc=$? v=${v-unset}"',
      '$X >/tmp/o; echo "file=$(cat /tmp/o)"; $X; echo "_=$_"',
      'set -e; F="false"; $F; echo unreachable',
    ].join("\n");
    const r = await run(script);
    expect(r.stdout).toBe(
      "hi there\nW=unset\nW=2 f=show n=2\nrc=4 v=unset\nfile=hi there\nhi there\n_=there\n",
    );
    expect(r.exitCode).toBe(1);
  });

  it("words a missing first field as bash does", async () => {
    const r = await run('N="nosuch x"; $N; echo "rc=$?"\nrun() { "$@"; }\nrun nosuch-r; echo "rc=$?"', {
      scriptName: "w.sh",
    });
    expect(r.stdout).toBe("rc=127\nrc=127\n");
    expect(r.stderr).toBe(
      "w.sh: line 1: nosuch: command not found\nw.sh: line 2: nosuch-r: command not found\n",
    );
    const c = await run('X="nosuch-c 1"; $X');
    expect(c.stderr).toBe("bash: line 1: nosuch-c: command not found\n");
  });

  it("merges a wrapped command's stderr under 2>&1", async () => {
    const r = await run('run() { "$@"; }\n{ run both a; echo "rc=$?"; } 2>&1 | cat');
    expect(r.stdout).toBe("a-out\na-err\nrc=1\n");
  });
});

describe("id", () => {
  it("prints the calling task's credentials as coreutils 9.1 does", async () => {
    const r = await runScript("id; id -u; id -gn; id -G; unshare -U id; unshare -U id -un; id -n; id 1000");
    expect(r.stdout).toBe(
      "uid=0(root) gid=0(root) groups=0(root)\n0\nroot\n0\n" +
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\nnobody\n",
    );
    expect(r.stderr).toBe(
      "id: cannot print only names or real IDs in default format\nid: '1000': no such user\n",
    );
  });
});

describe("sleep", () => {
  it("advances the task's virtual clock without waiting", async () => {
    const kernel = fakeKernel();
    // An hour of real sleep would outlast the test's timeout; the clock is the kernel's.
    const r = await run("sleep 1.5; netns red sleep 2m; sleep 1h; sleep 0.001s", { kernel });
    expect(r.exitCode).toBe(0);
    expect(kernel.sleeps).toEqual([
      "init:1500000000",
      "red:120000000000",
      "init:3600000000000",
      "init:1000000",
    ]);
  });
});

describe("/proc/sys", () => {
  it("reads through sysctlRead of the current task's namespace", async () => {
    const kernel = fakeKernel();
    kernel.sysctlWrite(fakeTask("red"), "net/ipv4/ip_forward", "1");
    const r = await run(
      `cat /proc/sys/net/ipv4/ip_forward
read v < /proc/sys/net/ipv4/ip_forward; echo "v=$v"
netns red cat /proc/sys/net/ipv4/ip_forward
netns red bash -c 'grep -c 1 /proc/sys/net/ipv4/ip_forward; echo "$(< /proc/sys/net/ipv4/ip_forward)"'`,
      { kernel },
    );
    expect(r.stdout).toBe("0\nv=0\n1\n1\n1\n");
    expect(r.stderr).toBe("");
  });

  it("writes through sysctlWrite", async () => {
    const kernel = fakeKernel();
    const r = await run(
      `echo 1 > /proc/sys/net/ipv4/ip_forward
netns red bash -c 'echo 7 > /proc/sys/net/core/somaxconn'
echo 1 | netns red tee /proc/sys/net/ipv4/conf/all/forwarding
cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/core/somaxconn`,
      { kernel },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("1\n1\n4096\n");
    expect(kernel.sysctls.get("red")?.get("net/core/somaxconn")).toBe("7\n");
    expect(kernel.sysctls.get("red")?.get("net/ipv4/conf/all/forwarding")).toBe("1\n");
  });

  it("lists the tree from sysctlList", async () => {
    const r = await run(
      "ls /proc/sys/net; ls /proc/sys/net/ipv4/conf; test -d /proc/sys/net/ipv4 && echo dir",
    );
    expect(r.stdout).toBe("core\nipv4\nall\nlo\ndir\n");
    const f = await run("for f in /proc/sys/net/ipv4/conf/*/forwarding; do echo $f; done");
    expect(f.stdout).toBe("/proc/sys/net/ipv4/conf/all/forwarding\n/proc/sys/net/ipv4/conf/lo/forwarding\n");
  });

  it("reports a missing entry like the tools do", async () => {
    const r = await run("cat /proc/sys/net/nosuch; echo rc=$?");
    expect(r.stderr).toBe("cat: /proc/sys/net/nosuch: No such file or directory\n");
    expect(r.stdout).toBe("rc=1\n");
  });

  // Each expectation below is what bash 5.2 printed against a real /proc/sys (unshare -n).
  it("reports a refused write as the writer does, with status 1, and goes on", async () => {
    const script = [
      "echo abc > /proc/sys/net/ipv4/ip_forward",
      'echo "rc=$? $_"',
      "printf 'x\\n' > /proc/sys/net/ipv4/ip_forward || echo failed",
      "f() { echo y; }",
      "f > /proc/sys/net/ipv4/ip_forward",
      "echo z | cat > /proc/sys/net/ipv4/ip_forward",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion
      'echo "rc=$? ${PIPESTATUS[*]}"',
      "echo q 2>/dev/null > /proc/sys/net/ipv4/ip_forward",
      "echo rc=$?",
      "echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward",
    ].join("\n");
    const r = await run(script, { scriptName: "w.sh" });
    expect(r.stdout).toBe("rc=1 abc\nfailed\nrc=1 0 1\nrc=1\n1\n");
    expect(r.stderr).toBe(
      "w.sh: line 1: echo: write error: Invalid argument\n" +
        "w.sh: line 3: printf: write error: Invalid argument\n" +
        "w.sh: line 4: echo: write error: Invalid argument\n" +
        "cat: write error: Invalid argument\n",
    );
    expect(r.exitCode).toBe(0);
    const c = await run("echo abc > /proc/sys/net/ipv4/ip_forward; echo rc=$?");
    expect(c).toEqual({
      stdout: "rc=1\n",
      stderr: "bash: line 1: echo: write error: Invalid argument\n",
      exitCode: 0,
    });
  });

  it("reports a write to a missing entry as a failed open", async () => {
    const r = await run("echo 1 > /proc/sys/net/nosuch\necho rc=$?", { scriptName: "m.sh" });
    expect(r).toEqual({
      stdout: "rc=1\n",
      stderr: "m.sh: line 1: /proc/sys/net/nosuch: No such file or directory\n",
      exitCode: 0,
    });
  });

  it("reports refused writes inside bash -c and a namespace's shell too", async () => {
    const r = await run(
      "netns red bash -c 'echo abc > /proc/sys/net/ipv4/ip_forward; echo rc=$?' && echo ok; echo $?",
    );
    expect(r.stdout).toBe("rc=1\nok\n0\n");
    expect(r.stderr).toBe("bash: line 1: echo: write error: Invalid argument\n");
  });
});

describe("a compound command with stdout and stderr on one file", () => {
  it("interleaves the body's writes as bash does (loops, groups, subshells, if, case)", async () => {
    const r = await run(
      [
        "for i in 1 2; do echo out$i; echo err$i >&2; done 2>&1",
        "{ echo a; echo b >&2; echo c; } 2>&1 | cat",
        "( both s; echo t ) 2>&1 | upper",
        "if both c; then :; else echo no; fi 2>&1",
        "case x in x) echo k1; echo k2 >&2; echo k3;; esac 2>&1",
        "n=0; while [ $n -lt 1 ]; do echo w; echo v >&2; n=1; done 2>&1",
      ].join("\n"),
    );
    expect(r.stdout).toBe(
      "out1\nerr1\nout2\nerr2\na\nb\nc\nS-OUT\nS-ERR\nT\nc-out\nc-err\nno\nk1\nk2\nk3\nw\nv\n",
    );
    expect(r.stderr).toBe("");
  });

  it("merges into a file or into stderr, but not with `2>&1 >FILE`", async () => {
    const r = await run(
      [
        "{ echo a; echo b >&2; echo c; } >/tmp/l 2>&1; cat /tmp/l",
        "{ echo d; echo e >&2; } &>/tmp/l; cat /tmp/l",
        "{ echo f; echo g >&2; echo h; } >&2",
        "{ echo i >&2; echo j; } 2>&1 >/tmp/l; cat /tmp/l",
      ].join("\n"),
    );
    expect(r.stdout).toBe("a\nb\nc\nd\ne\ni\nj\n");
    expect(r.stderr).toBe("f\ng\nh\n");
  });

  it("keeps the inner commands' own redirections, nested compounds included", async () => {
    const r = await run(
      [
        "{ echo a; echo b 2>&1 >/dev/null; echo c >/dev/null; both q 2>/dev/null; echo d >&2; } 2>&1",
        "{ { echo e; echo f >&2; } 2>/dev/null; echo g >&2; } 2>&1",
        "{ { echo h; echo i >&2; } 2>&1 >/dev/null; echo j >&2; } 2>&1",
      ].join("\n"),
    );
    expect(r.stdout).toBe("a\nq-out\nd\ne\ng\ni\nj\n");
    expect(r.stderr).toBe("");
  });

  it("sends an early pipeline stage's stderr to the file, before the last stage's output; |& into the pipe", async () => {
    const r = await run(
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion
        'for i in 1 2; do both $i | upper; echo "ps=${PIPESTATUS[*]}"; done 2>&1',
        "for i in 3; do { echo 3o; echo 3e >&2; echo 3p; } |& upper; done 2>&1",
        "{ both 4 | upper | cat; } 2>&1 | sed 's/^/log: /'",
      ].join("\n"),
    );
    expect(r.stdout).toBe("1-err\n1-OUT\nps=1 0\n2-err\n2-OUT\nps=1 0\n3O\n3E\n3P\nlog: 4-err\nlog: 4-OUT\n");
    expect(r.stderr).toBe("");
  });

  it("leaves $?, PIPESTATUS, set -e, exec and $(...) as bash has them", async () => {
    const r = await run(
      [
        "false; for i in 1; do echo rc=$?; done 2>&1",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash array expansion
        "{ false; echo rc=$?; false | true; echo ps=${PIPESTATUS[*]}; } 2>&1",
        "{ exec 3>&1; echo e1 >&2; echo e2 >&3; } 2>&1; echo later >&2",
        'out=$({ echo o1; echo o2 >&2; } 2>&1); echo "$out"',
        "set -e",
        "{ echo s1; both s; echo not-reached; } 2>&1",
        "echo not-reached",
      ].join("\n"),
    );
    expect(r.stdout).toBe("rc=1\nrc=1\nps=1 0\ne1\ne2\no1\no2\ns1\ns-out\ns-err\n");
    expect(r.stderr).toBe("later\n");
    expect(r.exitCode).toBe(1);
  });

  it("applies a function definition's redirections to its body at every call", async () => {
    const r = await run("f() { echo a; echo b >&2; echo c; } 2>&1\nf; f | upper");
    expect(r.stdout).toBe("a\nb\nc\nA\nB\nC\n");
  });

  it("judges redirections as bash's do_redirections would", () => {
    const redirections = (script: string) => {
      const m = /^\{ :; \} (.*)$/.exec(script);
      if (!m) throw new Error(script);
      return parse(script).statements[0]?.pipelines[0]?.commands[0] as unknown as {
        redirections: Parameters<typeof mergesStdoutAndStderr>[0];
      };
    };
    const merges = (r: string) => mergesStdoutAndStderr(redirections(`{ :; } ${r}`).redirections);
    for (const r of [
      "2>&1",
      ">&2",
      "1>&2",
      "&>f",
      "&>>f",
      ">&f",
      ">f 2>&1",
      "2>/dev/stdout",
      "3>&1 2>&3 1>&3",
    ]) {
      expect(merges(r), r).toBe(true);
    }
    for (const r of ["", "2>&1 >f", ">f 2>f", "2>/dev/null", "2>&1 2>f", ">&-", ">&- 2>&1", "2>&$fd", "<f"]) {
      expect(merges(r), r).toBe(false);
    }
  });
});

describe("filesystem", () => {
  it("reads the real directory and keeps writes in memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netnest-shell-"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "lib.sh"), "greet() { echo hello from lib; }\n");
    writeFileSync(join(dir, "sub", "rules.txt"), "rule 1\n");
    const fs = new MountableFs({
      base: new InMemoryFs(),
      mounts: [{ mountPoint: dir, filesystem: new OverlayFs({ root: dir, mountPoint: "/" }) }],
    });
    const r = await run(
      "source ./lib.sh; greet; cat sub/rules.txt; echo changed > sub/rules.txt; cat sub/rules.txt; echo t > /tmp/x; cat /tmp/x",
      { fs, cwd: dir },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hello from lib\nrule 1\nchanged\nt\n");
    expect(readFileSync(join(dir, "sub", "rules.txt"), "utf8")).toBe("rule 1\n");
  });
});
