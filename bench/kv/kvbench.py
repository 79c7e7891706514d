#!/usr/bin/env python3
"""pmem-kv against redis-server: throughput and restart time, in one run.

Called by bench/run-kv.sh, which installs what it needs. Four systems:

  pmem-kv    examples/pmem-kv on build/jdk, heap file on /dev/shm with
             PMEM_IS_PMEM_FORCE=1 (emulated pmem: cache-line write-back
             instructions, no real persistence domain); every write is
             durable before its reply
  always     redis-server, appendonly yes, appendfsync always (the one
             Redis setting with the same promise), AOF on the project's disk
  everysec   the same with appendfsync everysec (up to a second lost)
  none       no AOF, no RDB (everything lost at exit)

Throughput: redis-benchmark for SET GET INCR LPUSH HSET ZADD at -c 1/50,
-P 1/16, -d 64/1024, each system started fresh per (c, P, d) cell, the
four taking turns within a cell; the
request count per cell comes from a short probe so that slow cells (fsync
per request) stay short. Restart: N keys (SET, 64-byte values) loaded with
redis-cli --pipe, then the time from process start to the first PONG after
an orderly stop and after kill -9 (pmem-kv), and Redis reloading its AOF
(rewrite disabled: the log replays every command) and its RDB.

Writes results.json, table.md and two PNG plots to the output directory.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PMEM_KV = os.path.join(ROOT, "examples", "pmem-kv", "bin", "pmem-kv")
TESTS = ["SET", "GET", "INCR", "LPUSH", "HSET", "ZADD"]
SYSTEMS = ["pmem-kv", "always", "everysec", "none"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# -- servers --------------------------------------------------------------

def ping(port, timeout=0.2):
    """True once the server answers PING with PONG (not -LOADING)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class Server:
    """One server process; ready_s is process start to the first PONG."""

    def __init__(self, system, port, workdir, heap, heap_size, logf):
        self.system, self.port, self.workdir = system, port, workdir
        self.heap, self.heap_size, self.logf = heap, heap_size, logf
        self.proc = None
        self.ready_s = None

    def command(self, aof=None):
        if self.system == "pmem-kv":
            return [PMEM_KV, "--heap", self.heap, "--size", self.heap_size,
                    "--jvm-opt", "-Xlog:gc+pmem=info:file=%s.gc.log" % self.logf,
                    "--port", str(self.port), "--maxclients", "1000"]
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--dir", self.workdir, "--save", "", "--daemonize", "no",
               "--protected-mode", "no", "--maxclients", "1000",
               "--auto-aof-rewrite-percentage", "0"]
        policy = aof if aof is not None else self.system
        if policy in ("always", "everysec"):
            cmd += ["--appendonly", "yes", "--appendfsync", policy]
        else:
            cmd += ["--appendonly", "no"]
        return cmd

    def start(self, aof=None, timeout=600):
        env = dict(os.environ)
        if self.system == "pmem-kv":
            env["PMEM_IS_PMEM_FORCE"] = "1"
        out = open(self.logf, "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.command(aof), stdout=out, stderr=subprocess.STDOUT, env=env)
        while not ping(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %d; see %s" % (self.system, self.proc.returncode, self.logf))
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("%s not ready after %ds" % (self.system, timeout))
            time.sleep(0.002)
        self.ready_s = time.monotonic() - t0
        return self

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port)] + list(args),
                              check=True, capture_output=True, text=True).stdout.strip()

    def stop(self, kill=False):
        if self.proc is None:
            return
        if kill:
            self.proc.send_signal(signal.SIGKILL)
        else:
            try:
                self.cli("SHUTDOWN")   # Redis: AOF fsynced; pmem-kv: orderly exit
            except subprocess.CalledProcessError:
                pass
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


# -- throughput -----------------------------------------------------------

def redis_benchmark(port, tests, c, p, d, n, keyspace):
    cmd = ["redis-benchmark", "-p", str(port), "-t", ",".join(t.lower() for t in tests),
           "-c", str(c), "-P", str(p), "-d", str(d), "-n", str(n), "-r", str(keyspace), "--csv", "-q"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = {}
    for line in out.splitlines():
        cells = [x.strip('"') for x in line.split('","')]
        if len(cells) >= 2 and cells[0].split()[0] in TESTS:
            try:
                rps[cells[0].split()[0]] = float(cells[1].strip('"'))
            except ValueError:
                pass
    missing = [t for t in tests if t not in rps]
    if missing:
        raise RuntimeError("redis-benchmark gave no result for %s:\n%s" % (missing, out))
    return rps


def throughput(args, out):
    results = {}
    cells = [(c, p, d) for c in args.clients for p in args.pipeline for d in args.sizes]
    # Systems take turns within each cell, so that a slower stretch of this
    # shared VM falls on all of them rather than on one.
    for (c, p, d) in cells:
        for system in args.systems:
            work = os.path.join(args.workdir, system)
            fresh_dir(work)
            heap = os.path.join(args.shm, "bench-kv.heap")
            if os.path.exists(heap):
                os.remove(heap)
            srv = Server(system, args.port, work, heap, args.heap_size, os.path.join(out, "server-%s.log" % system))
            srv.start()
            try:
                if system == "pmem-kv":
                    # JIT warm-up, not measured
                    redis_benchmark(args.port, TESTS, 50, 16, d, args.warmup, args.keyspace)
                    srv.cli("FLUSHALL")
                # A probe sizes the run to about args.seconds per test.
                probe = redis_benchmark(args.port, ["SET"], c, p, d, max(200, 40 * c * p), args.keyspace)["SET"]
                n = int(min(args.max_requests, max(args.min_requests, probe * args.seconds)))
                n = max(n, 2 * c * p)
                rps = redis_benchmark(args.port, TESTS, c, p, d, n, args.keyspace)
            finally:
                srv.stop()
            key = "c%d P%d d%d" % (c, p, d)
            results.setdefault(key, {})[system] = rps
            log("  %-9s %-14s n=%-7d %s" % (system, key, n, "  ".join("%s %.0f" % (t, rps[t]) for t in TESTS)))
    return results


# -- restart --------------------------------------------------------------

def pipe_load(port, n, value_len=64):
    """SET key:i to a value_len-byte value for i < n, pipelined through redis-cli --pipe."""
    value = (b"v" * value_len)
    p = subprocess.Popen(["redis-cli", "-p", str(port), "--pipe"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunk = 50000
    for base in range(0, n, chunk):
        parts = []
        for i in range(base, min(n, base + chunk)):
            k = b"key:%d" % i
            parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, value_len, value))
        p.stdin.write(b"".join(parts))
    p.stdin.close()
    summary = p.stdout.read().decode(errors="replace")
    if p.wait() != 0 or "errors: 0" not in summary:
        raise RuntimeError("redis-cli --pipe failed: " + summary)


def attach_ms(gc_log):
    """pmem-kv's attach line and the JVM uptime at it, from the gc+pmem log."""
    try:
        lines = open(gc_log).read().splitlines()
    except OSError:
        return None
    att = [l for l in lines if "Attached " in l]
    return att[-1] if att else None


def restart(args, out):
    rows = []
    for n in args.keys:
        log("restart, %d keys" % n)
        row = {"keys": n}
        # pmem-kv: after an orderly stop, then after kill -9.
        heap = os.path.join(args.shm, "bench-kv-restart.heap")
        if os.path.exists(heap):
            os.remove(heap)
        logf = os.path.join(out, "restart-pmem-kv-%d.log" % n)
        srv = Server("pmem-kv", args.port, None, heap, args.restart_heap_size, logf)
        srv.start()
        t = time.monotonic()
        pipe_load(args.port, n)
        row["pmem-kv load s"] = time.monotonic() - t
        srv.stop()
        for kind in ("clean", "kill"):
            times = []
            for _ in range(args.repeat):
                open(logf + ".gc.log", "w").close()
                srv.start()
                times.append(srv.ready_s)
                size = int(srv.cli("DBSIZE"))
                if size != n:
                    raise RuntimeError("pmem-kv has %d keys after restart, not %d" % (size, n))
                srv.stop(kill=(kind == "kill"))
            row["pmem-kv %s" % kind] = min(times)
            row["pmem-kv %s attach" % kind] = attach_ms(logf + ".gc.log")
        os.remove(heap)

        # Redis: the same keys, reloaded from the AOF, then from an RDB.
        work = os.path.join(args.workdir, "restart")
        fresh_dir(work)
        rlog = os.path.join(out, "restart-redis-%d.log" % n)
        srv = Server("everysec", args.port, work, None, None, rlog)
        srv.start()
        t = time.monotonic()
        pipe_load(args.port, n)
        row["redis load s"] = time.monotonic() - t
        srv.stop()
        aof_bytes = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(work) for f in fs)
        row["aof MB"] = aof_bytes / 1e6
        times = []
        for _ in range(args.repeat):
            srv.start()
            times.append(srv.ready_s)
            if int(srv.cli("DBSIZE")) != n:
                raise RuntimeError("redis lost keys in the AOF reload")
            srv.stop()
        row["redis aof"] = min(times)
        srv.start()
        srv.cli("SAVE")
        srv.stop()
        times = []
        for _ in range(args.repeat):
            srv.start(aof="no")
            times.append(srv.ready_s)
            if int(srv.cli("DBSIZE")) != n:
                raise RuntimeError("redis lost keys in the RDB reload")
            srv.stop()
        row["redis rdb"] = min(times)
        row["rdb MB"] = os.path.getsize(os.path.join(work, "dump.rdb")) / 1e6
        shutil.rmtree(work, ignore_errors=True)
        log("  " + json.dumps(row))
        rows.append(row)
    return rows


# -- report ---------------------------------------------------------------

def table(tp, rs):
    lines = []
    if tp:
        lines.append("Throughput, requests/s (ratios: pmem-kv over each Redis setting)\n")
        lines.append("| cell | test | pmem-kv | always | everysec | none | /always | /everysec | /none |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for cell, by in tp.items():
            for t in TESTS:
                v = {s: by.get(s, {}).get(t) for s in SYSTEMS}
                def r(s):
                    return "%.2f" % (v["pmem-kv"] / v[s]) if v["pmem-kv"] and v[s] else "-"
                def f(s):
                    return "%.0f" % v[s] if v[s] else "-"
                lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    cell, t, f("pmem-kv"), f("always"), f("everysec"), f("none"),
                    r("always"), r("everysec"), r("none")))
    if rs:
        lines.append("\nRestart: process start to first PONG, seconds (best of runs)\n")
        lines.append("| keys | pmem-kv clean | pmem-kv kill -9 | Redis AOF | Redis RDB | AOF/pmem-kv kill -9 | RDB/pmem-kv kill -9 | pmem-kv heap used MB | AOF MB | RDB MB |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        for r in rs:
            lines.append("| %d | %.3f | %.3f | %.3f | %.3f | %.1f | %.1f | %.0f | %.0f | %.0f |" % (
                r["keys"], r["pmem-kv clean"], r["pmem-kv kill"], r["redis aof"], r["redis rdb"],
                r["redis aof"] / r["pmem-kv kill"], r["redis rdb"] / r["pmem-kv kill"],
                heap_used_mb(r["pmem-kv kill attach"]), r["aof MB"], r["rdb MB"]))
        lines.append("")
        for r in rs:
            lines.append("- %d keys, pmem-kv attach after kill -9: `%s`" % (r["keys"], r["pmem-kv kill attach"]))
    return "\n".join(lines) + "\n"


def heap_used_mb(attach_line):
    """The heap file's handed-out part, from the attach log line (the file itself is allocated whole)."""
    import re
    m = re.search(r"(\d+)K of \d+K (?:handed out|in use)", attach_line or "")
    return int(m.group(1)) * 1024 / 1e6 if m else float("nan")


def plots(tp, rs, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if tp:
        cells = list(tp.keys())
        fig, axes = plt.subplots(len(TESTS), 1, figsize=(11, 3.0 * len(TESTS)), sharex=True)
        width = 0.2
        for ax, t in zip(axes, TESTS):
            for i, s in enumerate(SYSTEMS):
                ys = [tp[c].get(s, {}).get(t, 0) for c in cells]
                ax.bar([x + (i - 1.5) * width for x in range(len(cells))], ys, width, label=s)
            ax.set_yscale("log")
            ax.set_ylabel("%s req/s" % t)
            ax.grid(axis="y", alpha=0.3)
        axes[0].legend(ncol=4, loc="upper left", fontsize=8)
        axes[-1].set_xticks(range(len(cells)))
        axes[-1].set_xticklabels(cells, rotation=30, fontsize=8)
        fig.suptitle("pmem-kv (emulated pmem) vs redis-server: throughput (log scale)")
        fig.tight_layout()
        fig.savefig(os.path.join(out, "kv-throughput.png"), dpi=90)
    if rs:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        ks = [r["keys"] for r in rs]
        for label, key in [("pmem-kv after kill -9", "pmem-kv kill"), ("pmem-kv after stop", "pmem-kv clean"),
                           ("Redis AOF reload", "redis aof"), ("Redis RDB reload", "redis rdb")]:
            ax.plot(ks, [r[key] for r in rs], marker="o", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("keys")
        ax.set_ylabel("seconds to first reply")
        ax.grid(alpha=0.3)
        ax.legend()
        ax.set_title("Restart time against data size")
        fig.tight_layout()
        fig.savefig(os.path.join(out, "kv-restart.png"), dpi=90)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--clients", default="1,50")
    ap.add_argument("--pipeline", default="1,16")
    ap.add_argument("--sizes", default="64,1024")
    ap.add_argument("--keys", default="100000,1000000,10000000", help="restart sizes; empty: skip")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--report-only", action="store_true", help="re-render table.md and plots from OUT/results.json")
    ap.add_argument("--seconds", type=float, default=2.0, help="target length of one test")
    ap.add_argument("--min-requests", type=int, default=2000)
    ap.add_argument("--max-requests", type=int, default=400000)
    ap.add_argument("--warmup", type=int, default=300000)
    ap.add_argument("--keyspace", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--port", type=int, default=16379)
    ap.add_argument("--heap-size", default="8g")
    ap.add_argument("--restart-heap-size", default="8g")
    ap.add_argument("--shm", default="/dev/shm")
    ap.add_argument("--workdir", default=os.path.join(ROOT, "build", "bench-kv"))
    args = ap.parse_args()
    args.systems = [s for s in args.systems.split(",") if s]
    args.clients = [int(x) for x in args.clients.split(",")]
    args.pipeline = [int(x) for x in args.pipeline.split(",")]
    args.sizes = [int(x) for x in args.sizes.split(",")]
    args.keys = [int(float(x)) for x in args.keys.split(",") if x]
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.workdir, exist_ok=True)
    if args.report_only:
        saved = json.load(open(os.path.join(args.out, "results.json")))
        tp, rs = saved["throughput"], saved["restart"]
    else:
        if ping(args.port):
            sys.exit("port %d is in use; pass --port" % args.port)
        tp = {} if args.skip_throughput else throughput(args, args.out)
        rs = restart(args, args.out) if args.keys else []
        json.dump({"throughput": tp, "restart": rs}, open(os.path.join(args.out, "results.json"), "w"), indent=1)
    md = table(tp, rs)
    open(os.path.join(args.out, "table.md"), "w").write(md)
    print(md)
    plots(tp, rs, args.out)


if __name__ == "__main__":
    main()
