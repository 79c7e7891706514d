#!/usr/bin/env python3
"""Side-by-side table of JMH -rf csv results.

usage: compare.py LABEL=results.csv [LABEL=results.csv ...] [--ratio X/Y ...]

Rows are keyed by benchmark method name (the part after the last '.'), so
TxnBench.transfer and LlplTxnBench.transfer share a row. Each cell is
score +- error (99.9%); a ratio column X/Y divides X's score by Y's.
"""
import csv
import sys


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            name = r["Benchmark"].rsplit(".", 1)[-1]
            score = float(r["Score"])
            err = r.get("Score Error (99.9%)", "")
            try:
                err = float(err)
            except ValueError:
                err = float("nan")
            rows[name] = (score, err, r["Unit"], r["Mode"])
    return rows


def fmt(x):
    if x != x:  # nan
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def main(argv):
    configs, ratios = [], []
    it = iter(argv)
    for a in it:
        if a == "--ratio":
            ratios.append(next(it).split("/"))
        else:
            label, path = a.split("=", 1)
            configs.append((label, load(path)))
    data = dict(configs)
    names = []
    for _, rows in configs:
        for n in rows:
            if n not in names:
                names.append(n)
    units = {rows[n][2] for _, rows in configs for n in rows}
    header = ["kernel"] + [f"{l} ({'/'.join(sorted(units))})" for l, _ in configs] + \
             [f"{x}/{y}" for x, y in ratios]
    table = []
    for n in names:
        row = [n]
        for _, rows in configs:
            row.append(f"{fmt(rows[n][0])} ± {fmt(rows[n][1])}" if n in rows else "-")
        for x, y in ratios:
            if n in data[x] and n in data[y] and data[y][n][0]:
                row.append(f"{data[x][n][0] / data[y][n][0]:.3f}")
            else:
                row.append("-")
        table.append(row)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in table:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
