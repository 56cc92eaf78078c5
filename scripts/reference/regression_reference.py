#!/usr/bin/python3
"""Cross-check the Regression submodule against scikit-learn and PyTorch on the very same splits.

    npm start                      # writes results/regression/{metrics,trace}.json
    /usr/bin/python3 scripts/reference/regression_reference.py results/regression

Needs Debian's python3-sklearn, python3-torch and python3-numpy (see ../shared/PLATFORM.md). The trace holds
each split's rows and the network's initial weights; the batch order is regenerated from the run's seed with
a port of the lab's generator (trainer/core/random.ts), so PyTorch replays exactly the training the lab did
and any difference is arithmetic, not luck. Prints a Markdown table of lab vs reference.
"""
import csv
import json
import os
import sys

import numpy as np
import torch
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeRegressor

M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


class SeededRandom:
    """Port of trainer/core/random.ts (mulberry32)."""

    def __init__(self, seed):
        self.state = seed & M32

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & M32)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    def permutation(self, n):
        out = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.next() * (i + 1))
            out[i], out[j] = out[j], out[i]
        return out


def child_seed(seed, *path):
    h = seed & M32
    for p in path:
        h = imul(h ^ ((p + 0x9E3779B9) & M32), 0x85EBCA6B)
        h = (h ^ (h >> 13)) & M32
    return h


def minmax_fit(a):
    lo, hi = a.min(axis=0), a.max(axis=0)
    rng = hi - lo
    return lo, np.where(rng == 0, 1, rng), rng == 0


def minmax_apply(a, fitted):
    lo, rng, const = fitted
    out = (a - lo) / rng
    out[:, const] = 0
    return out


def train_network(init, x_train, y_train, x_test, training, seed):
    """One dense unit, MSE, plain SGD: the same loop as trainer/submodules/regression/network.ts."""
    torch.set_num_threads(1)
    kernel, bias = (np.asarray(w, dtype=np.float32) for w in init)
    layer = torch.nn.Linear(x_train.shape[1], 1)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(kernel.reshape(1, -1)))
        layer.bias.copy_(torch.from_numpy(bias))
    opt = torch.optim.SGD(layer.parameters(), lr=training["learningRate"])
    xs = torch.tensor(x_train, dtype=torch.float32)
    ys = torch.tensor(y_train, dtype=torch.float32)[:, None]
    n, bs = len(x_train), training["batchSize"]
    for epoch in range(training["epochs"]):
        order = SeededRandom(child_seed(seed, epoch)).permutation(n)
        for start in range(0, n, bs):
            idx = torch.tensor(order[start:start + bs])
            opt.zero_grad()
            loss = ((layer(xs[idx]) - ys[idx]) ** 2).mean()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return layer(torch.tensor(x_test, dtype=torch.float32))[:, 0].double().numpy()


def main(results_dir, csv_path):
    with open(os.path.join(results_dir, "trace.json")) as f:
        trace = json.load(f)
    with open(os.path.join(results_dir, "metrics.json")) as f:
        metrics = json.load(f)
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    target = np.array([float(r[trace["target"]]) for r in rows])
    seed = trace["seed"]
    errors = {}

    def record(name, split_actual, predicted):
        errors.setdefault(name, []).append(np.abs(split_actual - predicted).mean())

    only_network_shape = all(len(w) == 2 for s in trace["splits"] for w in s["networkInitialWeights"].values())
    for index, split in enumerate(trace["splits"]):
        train, test = np.array(split["train"]), np.array(split["test"])
        y_fit = minmax_fit(target[train][:, None])
        y_train_scaled = minmax_apply(target[train][:, None], y_fit)[:, 0]
        for k, fs in enumerate(trace["featureSets"]):
            suffix = "" if fs["name"] == "all" else "-" + fs["name"]
            x = np.array([[float(r[c]) for c in fs["features"]] for r in rows])
            x_fit = minmax_fit(x[train])
            x_train, x_test = minmax_apply(x[train], x_fit), minmax_apply(x[test], x_fit)
            record("linear" + suffix, target[test], LinearRegression().fit(x_train, target[train]).predict(x_test))
            record("tree" + suffix, target[test], DecisionTreeRegressor(random_state=index).fit(x_train, target[train]).predict(x_test))
            if fs["name"] == "all":
                forest = RandomForestRegressor(n_estimators=100, random_state=index, n_jobs=1)
                record("forest" + suffix, target[test], forest.fit(x_train, target[train]).predict(x_test))
            init = split["networkInitialWeights"].get("network" + suffix)
            if init is not None and only_network_shape:
                scaled = train_network(init, x_train, y_train_scaled, x_test, trace["training"], child_seed(seed, index, 2000 + k))
                predicted = scaled * (y_fit[1][0]) + y_fit[0][0]
                record("network" + suffix, target[test], predicted)

    print(f"Lab run: seed {seed}, {len(trace['splits'])} splits, backend {metrics['backend']}, profile {metrics['profile']}.")
    print("MAE in radius units, mean ± sd over splits (reference: scikit-learn 1.2 / PyTorch 1.13; forest: 100 trees).\n")
    print("| model | lab (TypeScript) | reference (Python) | difference of means |")
    print("|---|---|---|---|")
    worst = 0.0
    for m in metrics["models"]:
        ref = errors.get(m["name"])
        if ref is None:
            continue
        diff = (m["mae"]["mean"] - np.mean(ref)) / np.mean(ref) * 100
        if m["name"].startswith(("linear", "network")):
            worst = max(worst, abs(diff))
        print(f"| {m['name']} | {m['mae']['mean']:.4f} ± {m['mae']['sd']:.4f} | {np.mean(ref):.4f} ± {np.std(ref, ddof=1):.4f} | {diff:+.2f} % |")
    print(f"\nLargest linear/network difference: {worst:.3f} % (target: within 5 %).")
    return 0 if worst <= 5 else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    default_csv = os.path.join(here, "..", "..", "trainer", "submodules", "regression", "data", "breast_cancer_wisconsin.csv")
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else default_csv))
