#!/usr/bin/python3
"""The same RFM scores with pandas, as a reference for speed and correctness.

    rfm_pandas.py ORDERS_CSV AS_OF_MS WINDOW_DAYS [OUR_SCORES_CSV]

ORDERS_CSV has customer_id,placed_at,total for the counted orders (the bench
exports it with the sqlite3 shell).  Prints the time pandas takes from reading the
CSV to the scores, and with OUR_SCORES_CSV checks Clientele's scores are identical.

Scores: with n scored customers and worse(v) the number whose value is strictly
worse, score = min(5, 1 + floor(5 * worse / n)); rank(method='min') - 1 is worse(v).
"""
import sys
import time

import numpy as np
import pandas as pd

DAY = 86_400_000

path, as_of, window = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

t0 = time.perf_counter()
orders = pd.read_csv(path, dtype={"customer_id": np.int64, "placed_at": np.int64, "total": np.int64})
t_read = time.perf_counter() - t0

orders = orders[orders.placed_at <= as_of]
in_window = orders[orders.placed_at > as_of - window * DAY]
g = in_window.groupby("customer_id")
rfm = pd.DataFrame({
    "last": g.placed_at.max(),
    "frequency": g.size(),
    "monetary": g.total.sum(),
})
rfm["r_days"] = (as_of - rfm["last"]) // DAY
n = len(rfm)


def score(worse):
    return np.minimum(5, 1 + (5 * worse) // n).astype(np.int64)


rfm["r_score"] = score(rfm.r_days.rank(method="min", ascending=False).astype(np.int64) - 1)
rfm["f_score"] = score(rfm.frequency.rank(method="min").astype(np.int64) - 1)
rfm["m_score"] = score(rfm.monetary.rank(method="min").astype(np.int64) - 1)
t_total = time.perf_counter() - t0

print(f"pandas: read {t_read:.2f} s, read + RFM {t_total:.2f} s, {n} customers scored")

if len(sys.argv) > 4:
    ours = pd.read_csv(sys.argv[4]).set_index("customer_id").sort_index()
    theirs = rfm[["r_days", "frequency", "monetary", "r_score", "f_score", "m_score"]].sort_index()
    if len(ours) != len(theirs) or not (ours.index == theirs.index).all():
        print(f"MISMATCH: {len(ours)} customers scored by Clientele, {len(theirs)} by pandas")
        sys.exit(1)
    diff = (ours != theirs).any(axis=1)
    if diff.any():
        print(f"MISMATCH in {int(diff.sum())} customers, e.g.:")
        print(ours[diff].head(), theirs[diff].head(), sep="\n")
        sys.exit(1)
    print("identical: r_days, frequency, monetary and all three scores for every customer")
