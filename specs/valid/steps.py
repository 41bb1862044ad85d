"""Step functions shared by the example specs in this folder.

Plain Python, standard library only: a small synthetic regression problem (y = 3x + 2 + noise),
a few models (a least-squares line with optional ridge penalty, a constant baseline), scoring,
model selection and reports. Every function takes its inputs as parameters and returns its
outputs, so each spec binds them by name, through `args` or through `with`.
"""

import math
import random
import statistics
import types


# -- data ---------------------------------------------------------------------------------------

def load(n_rows, seed=0, noise=1.0):
    """A synthetic dataset: `n_rows` rows of {"x", "y"} with y = 3x + 2 + gaussian noise.
    About 2% of the rows have a missing `y`, the way real exports do."""
    rng = random.Random(seed)
    rows = []
    for _ in range(int(n_rows)):
        x = rng.uniform(-5.0, 5.0)
        y = 3.0 * x + 2.0 + rng.gauss(0.0, noise)
        if rng.random() < 0.02:
            y = None
        rows.append({"x": round(x, 4), "y": None if y is None else round(y, 4)})
    return rows


def generate(kind, n_rows, noise, seed=0):
    """Like `load`, for a named generator: returns (rows, meta), meta with attributes
    source, n, noise and seed."""
    if kind not in ("synthetic", "noisy"):
        raise ValueError(f"unknown dataset kind {kind!r}")
    rows = clean(load(n_rows, seed=seed, noise=noise * (4.0 if kind == "noisy" else 1.0)))
    meta = types.SimpleNamespace(source=kind, n=len(rows), noise=noise, seed=seed)
    return rows, meta


def load_regions(n_rows, seed=0):
    """Rows tagged with a sales region, and the list of regions (in a stable order)."""
    regions = ["north", "south", "east", "west"]
    rows = clean(load(n_rows, seed=seed))
    for i, row in enumerate(rows):
        row["region"] = regions[i % len(regions)]
    return rows, regions


def filter_region(rows, region):
    """The rows of one region."""
    return [row for row in rows if row.get("region") == region]


def clean(rows):
    """Drop rows with a missing value."""
    return [row for row in rows if row.get("x") is not None and row.get("y") is not None]


def split(rows, test_fraction=0.25, seed=0):
    """A shuffled train/test split: returns (train_rows, test_rows)."""
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    n_test = max(1, int(len(shuffled) * float(test_fraction)))
    return shuffled[n_test:], shuffled[:n_test]


def profile_rows(rows):
    """Size class of a dataset: "small", "medium" or "large"."""
    if len(rows) < 100:
        return "small"
    if len(rows) < 1000:
        return "medium"
    return "large"


def describe_dataset(n_rows, seed=0):
    """Summary statistics of a freshly generated dataset."""
    rows = clean(load(n_rows, seed=seed))
    xs = [row["x"] for row in rows]
    ys = [row["y"] for row in rows]
    summary = {
        "rows": len(rows),
        "x_mean": round(statistics.fmean(xs), 4),
        "y_mean": round(statistics.fmean(ys), 4),
        "y_stdev": round(statistics.stdev(ys), 4),
    }
    print(summary)
    return summary


# -- models -------------------------------------------------------------------------------------

def fit_line(rows, l2=0.0):
    """Least-squares line y = slope * x + intercept, with an optional ridge penalty on the slope."""
    n = len(rows)
    if n == 0:
        raise ValueError("cannot fit a line to no rows")
    mean_x = sum(row["x"] for row in rows) / n
    mean_y = sum(row["y"] for row in rows) / n
    sxx = sum((row["x"] - mean_x) ** 2 for row in rows)
    sxy = sum((row["x"] - mean_x) * (row["y"] - mean_y) for row in rows)
    slope = sxy / (sxx + float(l2)) if sxx + float(l2) > 0 else 0.0
    return {"kind": "line", "slope": slope, "intercept": mean_y - slope * mean_x, "l2": float(l2)}


def fit_constant(rows, stat="mean"):
    """A baseline that always predicts the mean or the median of y."""
    ys = [row["y"] for row in rows]
    value = statistics.fmean(ys) if stat == "mean" else statistics.median(ys)
    return {"kind": "constant", "value": value, "stat": stat}


def predict(model, x):
    if model["kind"] == "line":
        return model["slope"] * x + model["intercept"]
    return model["value"]


def score_model(model, rows):
    """Mean squared error of `model` on `rows`."""
    if not rows:
        return math.inf
    return sum((predict(model, row["x"]) - row["y"]) ** 2 for row in rows) / len(rows)


def evaluate(model, rows):
    """Metrics of `model` on `rows`: mse, rmse and the number of rows."""
    mse = score_model(model, rows)
    return {"mse": mse, "rmse": math.sqrt(mse), "n": len(rows)}


def pick_best(models, rows):
    """The model with the lowest error on `rows`: returns (model, mse)."""
    scored = [(score_model(model, rows), i) for i, model in enumerate(models)]
    best_mse, best_index = min(scored)
    return models[best_index], best_mse


def make_grid(values):
    """A hyper-parameter grid, sorted and without duplicates."""
    return sorted({float(v) for v in values})


# -- loops --------------------------------------------------------------------------------------

def init_model():
    """The starting point of gradient descent: (model, epoch)."""
    return {"kind": "line", "slope": 0.0, "intercept": 0.0, "l2": 0.0}, 0


def sgd_epoch(model, rows, epoch, max_epochs, learning_rate=0.05):
    """One epoch of full-batch gradient descent on the squared error.
    Returns (model, epoch, loss, status) where status is "continue" or "done"."""
    n = len(rows)
    grad_slope = sum(2 * (predict(model, r["x"]) - r["y"]) * r["x"] for r in rows) / n
    grad_intercept = sum(2 * (predict(model, r["x"]) - r["y"]) for r in rows) / n
    model = dict(model)
    model["slope"] -= learning_rate * grad_slope
    model["intercept"] -= learning_rate * grad_intercept
    loss = score_model(model, rows)
    epoch += 1
    status = "done" if epoch >= int(max_epochs) or loss < 1.1 else "continue"
    print(f"epoch {epoch}: loss {loss:.4f} ({status})")
    return model, epoch, loss, status


def polish(best_model, train_rows, polish_round=0):
    """Refit the chosen model's intercept on the training rows, a round at a time.
    Returns (best_model, best_score, polish_round, polish_status); the status is "again" for
    another round, "done", or "review" when the error is suspiciously high."""
    model = dict(best_model)
    if model["kind"] == "line":
        residuals = [r["y"] - model["slope"] * r["x"] for r in train_rows]
        model["intercept"] = 0.5 * model["intercept"] + 0.5 * statistics.fmean(residuals)
    score = score_model(model, train_rows)
    polish_round += 1
    if score > 100.0:
        status = "review"
    elif polish_round < 3:
        status = "again"
    else:
        status = "done"
    return model, score, polish_round, status


def manual_review(best_model, best_score):
    """A note for a human, when a model's error is too high to publish silently."""
    return f"review {best_model['kind']} model: training mse {best_score:.3f}"


# -- cross-validation ---------------------------------------------------------------------------

def make_plan(families, alphas, n_folds):
    """The cross-validation plan: (families, alphas, folds)."""
    return list(families), make_grid(alphas), list(range(int(n_folds)))


def cv_fit(rows, family, alpha, fold, folds):
    """Fit `family` with penalty `alpha` on every fold but `fold`; return the error on `fold`."""
    k = len(folds)
    train = [row for i, row in enumerate(rows) if i % k != fold]
    held_out = [row for i, row in enumerate(rows) if i % k == fold]
    if family == "line":
        model = fit_line(train, l2=alpha)
    else:
        model = fit_constant(train, stat=family)
    return score_model(model, held_out)


def mean(values):
    return statistics.fmean(values) if values else math.inf


def best_alpha(family, alphas, scores):
    """The best penalty for one model family."""
    score, alpha = min(zip(scores, alphas))
    return {"family": family, "alpha": alpha, "cv_mse": score}


def pick_lowest(choices):
    """The choice with the lowest cross-validated error."""
    return min(choices, key=lambda choice: choice["cv_mse"])


# -- reports ------------------------------------------------------------------------------------

def summarize(regions, models, scores):
    """One row per region: the chosen model and its error."""
    return {
        region: {"model": model["kind"], "mse": round(score, 4)}
        for region, model, score in zip(regions, models, scores)
    }


def compare(ridge_model, baseline_model, scores, example):
    """Choose between the tuned ridge line and the baseline; `scores` are in branch order."""
    ridge_score, baseline_score = (math.inf if s is None else s for s in scores)
    best_model, best_score = (ridge_model, ridge_score) if ridge_score <= baseline_score else (
        baseline_model, baseline_score)
    print(f"example row {example}: predicted {predict(best_model, example['x']):.3f}")
    return best_model, best_score


def report(metrics):
    print(f"test mse {metrics['mse']:.4f}, rmse {metrics['rmse']:.4f} on {metrics['n']} rows")


def report_best(best_model, best_score):
    print(f"best model: {best_model['kind']} (mse {best_score:.4f})")
    return {"model": best_model, "mse": best_score}


def report_choice(best):
    print(f"best: {best['family']} with alpha {best['alpha']} (cv mse {best['cv_mse']:.4f})")


def report_regions(summary):
    for region, row in summary.items():
        print(f"{region:>6}: {row['model']:<8} mse {row['mse']}")


def publish(best_model, best_score, source, notes, raw, review_note=None):
    """The final report of the full example: model, error, data source and the attached files."""
    lines = [
        f"model:  {best_model['kind']}",
        f"mse:    {best_score:.4f}",
        f"source: {source}",
        f"notes:  {notes.strip().splitlines()[0] if notes.strip() else '(none)'}",
        f"raw:    {len(raw)} bytes",
    ]
    if review_note:
        lines.append(f"review: {review_note}")
    print("\n".join(lines))
    return "\n".join(lines)
