import { describe, expect, test } from "vitest";
import { dgram, Host, net, netnsTask, runScript } from "../src/api/index.js";

const SETUP = `
ip netns add a; ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va; ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up; ip -n b link set vb up
`;

async function twoNamespaces(): Promise<Host> {
  const host = new Host();
  const r = await runScript(SETUP, { host });
  expect(r.exitCode).toBe(0);
  return host;
}

describe("net", () => {
  test("an echo server in one namespace, a client in another", async () => {
    const host = await twoNamespaces();
    const seen: string[] = [];
    const server = net.createServer(netnsTask(host, "b"), (conn) => {
      seen.push(`connection from ${conn.remoteAddress}`);
      conn.on("data", (d: Uint8Array) => conn.write(d));
      conn.on("end", () => seen.push("server saw end"));
    });
    await new Promise<void>((resolve) => server.listen(7, "10.0.0.2", resolve));
    expect(server.address()).toEqual({ address: "10.0.0.2", family: "IPv4", port: 7 });
    const start = host.clock.now;
    const client = net.connect(netnsTask(host, "a"), { host: "10.0.0.2", port: 7 });
    client.setEncoding("utf8");
    let got = "";
    client.on("connect", () => {
      seen.push(`connected from ${client.localAddress}`);
      client.write("hello ");
      client.end("world");
    });
    client.on("data", (d: string) => {
      got += d;
    });
    const hadError = await new Promise<boolean>((resolve) => client.on("close", resolve));
    expect(hadError).toBe(false);
    expect(got).toBe("hello world");
    // The client's connect() returns at the SYN-ACK; the server accepts once the ACK arrives.
    expect(seen).toEqual(["connected from 10.0.0.1", "connection from 10.0.0.1", "server saw end"]);
    expect(client.bytesWritten).toBe(11);
    expect(client.bytesRead).toBe(11);
    // Virtual time: the exchange took some, and far less than a second.
    expect(host.clock.now - start).toBeLessThan(1e9);
    await new Promise<void>((resolve) => server.close(resolve));
  });

  test("the program writes again after the network went quiet", async () => {
    const host = await twoNamespaces();
    const server = net.createServer(netnsTask(host, "b"), (conn) => {
      conn.on("data", (d: Uint8Array) => conn.write(new TextDecoder().decode(d).toUpperCase()));
    });
    server.listen(8080);
    const client = net.connect(netnsTask(host, "a"), { host: "10.0.0.2", port: 8080 });
    client.setEncoding("utf8");
    const reply = () => new Promise<string>((resolve) => client.once("data", resolve));
    await new Promise<void>((resolve) => client.on("connect", resolve));
    client.write("one");
    expect(await reply()).toBe("ONE");
    client.write("two");
    expect(await reply()).toBe("TWO");
    client.end();
    await new Promise<void>((resolve) => client.on("close", () => resolve()));
    server.close();
  });

  test("connection refused is an error event like Node's", async () => {
    const host = await twoNamespaces();
    const client = net.connect(netnsTask(host, "a"), { host: "10.0.0.2", port: 81 });
    const err = await new Promise<Error & { code?: string }>((resolve) => client.on("error", resolve));
    expect(err.message).toBe("connect ECONNREFUSED 10.0.0.2:81");
    expect(err.code).toBe("ECONNREFUSED");
  });

  test("a port in use fails listen with EADDRINUSE", async () => {
    const host = await twoNamespaces();
    const b = netnsTask(host, "b");
    const first = net.createServer(b);
    first.listen(9000);
    const second = net.createServer(b);
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      second.on("error", resolve);
      second.listen(9000);
    });
    expect(err.code).toBe("EADDRINUSE");
    first.close();
  });
});

describe("dgram", () => {
  test("a UDP echo between namespaces, with rinfo", async () => {
    const host = await twoNamespaces();
    const server = dgram.createSocket(netnsTask(host, "b"), "udp4");
    server.on("message", (msg: Uint8Array, rinfo: dgram.RemoteInfo) => {
      server.send(msg, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => server.bind(5353, resolve));
    const client = dgram.createSocket(netnsTask(host, "a"), "udp4");
    const got = new Promise<[Uint8Array, dgram.RemoteInfo]>((resolve) =>
      client.on("message", (m: Uint8Array, r: dgram.RemoteInfo) => resolve([m, r])),
    );
    client.send("ping", 5353, "10.0.0.2");
    const [msg, rinfo] = await got;
    expect(new TextDecoder().decode(msg)).toBe("ping");
    expect(rinfo).toEqual({ address: "10.0.0.2", family: "IPv4", port: 5353, size: 4 });
    client.close();
    await new Promise<void>((resolve) => server.close(resolve));
  });
});
