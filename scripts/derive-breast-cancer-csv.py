#!/usr/bin/python3
"""Rebuild the embedded Breast Cancer Wisconsin (Diagnostic) table from Debian's scikit-learn copy.

Run with Debian's interpreter after `apt-get install python3-sklearn`:
    /usr/bin/python3 scripts/derive-breast-cancer-csv.py > trainer/submodules/regression/data/breast_cancer_wisconsin.csv

The values are copied as text so that nothing is rounded on the way; only the header changes, to the
column names the course uses (radius_mean ... fractal_dimension_worst) and a diagnosis column (M/B).
"""
import csv
import os
import sys

import sklearn

MEASURES = ["radius", "texture", "perimeter", "area", "smoothness", "compactness",
            "concavity", "concave_points", "symmetry", "fractal_dimension"]
GROUPS = ["mean", "se", "worst"]
# sklearn stores the 30 columns as all means, then all standard errors, then all worst values.
FEATURES = [f"{m}_{g}" for g in GROUPS for m in MEASURES]

source = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "breast_cancer.csv")
with open(source, newline="") as f:
    rows = list(csv.reader(f))
n_rows, n_cols = int(rows[0][0]), int(rows[0][1])
assert n_cols == len(FEATURES), n_cols
body = rows[1:]
assert len(body) == n_rows, len(body)

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["diagnosis"] + FEATURES)
for row in body:
    # sklearn's target: 0 = malignant, 1 = benign.
    out.writerow(["M" if row[-1] == "0" else "B"] + row[:-1])
