"""Model selection with scipy: fit several curve families to the same measurements, in parallel,
and keep the one with the lowest validation error."""
import csv
import io

import numpy as np
from scipy.optimize import curve_fit

FAMILIES = {
    "line": (lambda x, a, b: a * x + b, [1.0, 0.0]),
    "exp_decay": (lambda x, a, k, c: a * np.exp(-k * x) + c, [1.0, 0.1, 0.0]),
    "sine": (lambda x, a, w, p: a * np.sin(w * x + p), [1.0, 2.0, 0.0]),
    "damped_sine": (lambda x, a, k, w, p: a * np.exp(-k * x) * np.sin(w * x + p), [1.0, 0.1, 2.0, 0.0]),
}


def load(data, validation_share):
    """Parse the CSV, shuffle with a fixed seed, and split into training and validation arrays."""
    rows = np.array([[float(r["x"]), float(r["y"])] for r in csv.DictReader(io.StringIO(data))])
    order = np.random.default_rng(0).permutation(len(rows))
    cut = int(len(rows) * (1 - validation_share))
    return rows[order[:cut]], rows[order[cut:]]


def candidates(families):
    """The curve families to try: every known one unless the `families` param names some."""
    chosen = [name for name in families if name in FAMILIES] if families else list(FAMILIES)
    return sorted(chosen)


def fit(family, train, validation):
    """Least-squares fit of one family; scored by mean squared error on the validation rows."""
    function, start = FAMILIES[family]
    try:
        params, _ = curve_fit(function, train[:, 0], train[:, 1], p0=start, maxfev=20000)
    except RuntimeError:
        return {"family": family, "params": None, "validation_mse": float("inf")}
    predicted = function(validation[:, 0], *params)
    mse = float(np.mean((predicted - validation[:, 1]) ** 2))
    return {"family": family, "params": [round(float(p), 4) for p in params], "validation_mse": round(mse, 5)}


def pick(results):
    """The fit with the lowest validation error, and the whole leaderboard."""
    board = sorted(results, key=lambda r: r["validation_mse"])
    return board[0], board


def report(best, leaderboard):
    for row in leaderboard:
        mark = "*" if row == best else " "
        print(f"{mark} {row['family']:<12} validation mse {row['validation_mse']}")
    return f"best: {best['family']} {best['params']}"
