#!/usr/bin/python3
"""ACC and AUC by MedMNIST's rules, computed with scikit-learn, for checking trainer/submodules/classification/evaluate.ts.

Reads JSON from stdin: {"cases": [{"task": ..., "labels": [...], "scores": [...], "count": N, "columns": K}]}
with labels and scores flattened row-major (labels N x 1, or N x K for the multi-label task), and prints
{"results": [{"acc": ..., "auc": ...}]}. Classes or labels whose AUC is undefined (one group empty) are left
out of the mean, as the TypeScript evaluator does (scikit-learn itself would raise).

Run with Debian's /usr/bin/python3 (python3-sklearn, python3-numpy).
"""
import json
import sys

import numpy as np
from sklearn.metrics import accuracy_score, roc_auc_score


def defined_auc(truth: np.ndarray, score: np.ndarray) -> "float | None":
    if truth.min() == truth.max():
        return None
    return float(roc_auc_score(truth, score))


def mean_defined(values: "list[float | None]") -> float:
    kept = [v for v in values if v is not None]
    return float(np.mean(kept))


def score_case(case: dict) -> dict:
    n, k, task = case["count"], case["columns"], case["task"]
    scores = np.asarray(case["scores"], dtype=np.float32).reshape(n, k)
    if task == "multi-label, binary-class":
        labels = np.asarray(case["labels"]).reshape(n, k)
        predicted = scores > 0.5
        acc = np.mean([accuracy_score(labels[:, j], predicted[:, j]) for j in range(k)])
        auc = mean_defined([defined_auc(labels[:, j], scores[:, j]) for j in range(k)])
    elif task == "binary-class":
        labels = np.asarray(case["labels"]).reshape(n)
        # MedMNIST thresholds the last column; the TypeScript side takes the argmax. The test checks they agree.
        acc = accuracy_score(labels, scores[:, -1] > 0.5)
        auc = defined_auc(labels, scores[:, -1])
    else:
        labels = np.asarray(case["labels"]).reshape(n)
        acc = accuracy_score(labels, np.argmax(scores, axis=1))
        auc = mean_defined([defined_auc((labels == c).astype(int), scores[:, c]) for c in range(k)])
    return {"acc": float(acc), "auc": float(auc)}


def main() -> None:
    request = json.load(sys.stdin)
    json.dump({"results": [score_case(c) for c in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
