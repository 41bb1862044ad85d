"""Feature engineering for the full example, imported as a module from the `src` import root."""

import os
import statistics


def add_features(rows, scale):
    """Add x squared to every row; with `scale`, standardise x first. FEATURE_SET names the variant."""
    variant = os.environ.get("FEATURE_SET", "v1")
    xs = [row["x"] for row in rows]
    centre = statistics.fmean(xs) if scale else 0.0
    spread = (statistics.pstdev(xs) or 1.0) if scale else 1.0
    out = []
    for row in rows:
        x = (row["x"] - centre) / spread if scale else row["x"]
        new = dict(row, x=x, x2=x * x, feature_set=variant)
        out.append(new)
    return out
