#!/usr/bin/env python3
"""Full sync of an unmodified redis-server replica: from pmem-kv and from
redis-server as the master, same dataset, same run.

For each size: the master is loaded with N string keys (16-byte keys,
64-byte values, via redis-cli --pipe), a fresh redis-server is started with
--replicaof, and the time from its start to "in sync" (link up, replica
offset equal to the master's) is measured, with the master's write pause:
pmem-kv's "RDB written in X ms" (every shard locked) against Redis's
latest_fork_usec (its child writes the RDB). Emulated pmem: /dev/shm,
PMEM_IS_PMEM_FORCE=1.
"""
import argparse, os, re, socket, subprocess, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port)] + list(args), capture_output=True, text=True).stdout


def info(port, field):
    m = re.search(r"^%s:(.*)$" % field, cli(port, "INFO", "all"), re.M)
    return m.group(1).strip() if m else None


def wait_port(port, proc, timeout=120):
    t = time.time() + timeout
    while time.time() < t:
        if proc.poll() is not None:
            raise SystemExit("server on %d exited" % port)
        try:
            socket.create_connection(("127.0.0.1", port)).close(); return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("no server on %d" % port)


def load(port, n):
    val = "v" * 64
    lines = "".join("*3\r\n$3\r\nSET\r\n$16\r\n%016d\r\n$64\r\n%s\r\n" % (i, val) for i in range(n))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=lines, text=True, capture_output=True, check=True)


def fresh_dir(tmp, name):
    """An empty directory: a replica's full sync leaves dump.rdb, which a later server would load."""
    d = os.path.join(tmp, name)
    subprocess.run(["rm", "-rf", d], check=True)
    os.makedirs(d)
    return d


def replica_sync(master_port, tmp):
    tmp = fresh_dir(tmp, "replica")
    port = free_port()
    t0 = time.time()
    p = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", tmp,
                          "--replicaof", "127.0.0.1", str(master_port)], stdout=subprocess.DEVNULL)
    wait_port(port, p)
    while True:
        if info(port, "master_link_status") == "up" and info(port, "slave_repl_offset") == info(master_port, "master_repl_offset"):
            break
        time.sleep(0.02)
    dt = time.time() - t0
    keys = int(re.search(r"keys=(\d+)", cli(port, "INFO", "keyspace")).group(1))
    p.kill(); p.wait()
    return dt, keys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", default="100000,1000000")
    ap.add_argument("--tmp", default="/dev/shm/replbench")
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    env = dict(os.environ, PMEM_IS_PMEM_FORCE="1")
    rows = []
    for n in [int(x) for x in a.keys.split(",")]:
        heap = os.path.join(a.tmp, "kv.heap")
        if os.path.exists(heap):
            os.remove(heap)
        port = free_port()
        kv = subprocess.Popen([os.path.join(ROOT, "examples/pmem-kv/bin/pmem-kv"), "--heap", heap, "--size", "2g",
                               "--port", str(port), "--jvm-opt", "-Xmx4g"], stdout=subprocess.PIPE, text=True, env=env)
        wait_port(port, kv)
        load(port, n)
        dt, keys = replica_sync(port, a.tmp)
        kv.kill()
        out = kv.stdout.read()
        m = re.search(r"full sync, (\d+) keys in a (\d+)-byte RDB written in (\d+) ms", out)
        pause_kv, rdb_kv = int(m.group(3)), int(m.group(2))
        kv.wait()
        rport = free_port()
        # Redis 7.0 syncs diskless by default and waits repl-diskless-sync-delay (5 s) for more replicas:
        # no wait here, as pmem-kv does not wait.
        r = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                              "--repl-diskless-sync-delay", "0", "--dir", fresh_dir(a.tmp, "master")],
                             stdout=subprocess.DEVNULL)
        wait_port(rport, r)
        load(rport, n)
        rdt, rkeys = replica_sync(rport, a.tmp)
        fork_ms = int(info(rport, "latest_fork_usec")) / 1000.0
        r.kill(); r.wait()
        assert keys == n and rkeys == n, (keys, rkeys, n)
        rows.append((n, dt, pause_kv, rdb_kv, rdt, fork_ms))
        print("keys %d: pmem-kv master: in sync after %.2f s, writes paused %d ms (RDB %d bytes); "
              "redis master: in sync after %.2f s, fork %.1f ms" % (n, dt, pause_kv, rdb_kv, rdt, fork_ms), flush=True)
    print("\n| keys | pmem-kv master: replica in sync (s) | pmem-kv write pause (ms) | redis master: replica in sync (s) | redis fork (ms) |")
    print("|---|---|---|---|---|")
    for n, dt, p, _, rdt, f in rows:
        print("| %d | %.2f | %d | %.2f | %.1f |" % (n, dt, p, rdt, f))


if __name__ == "__main__":
    main()
