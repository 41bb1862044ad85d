"""Plain-Python steps around the notebook's feature step (flow.yaml)."""
import csv
import io


def load(data):
    """The readings CSV as a list of dicts: station, day, temp_c, rain_mm."""
    return [{"station": row["station"], "day": int(row["day"]), "temp_c": float(row["temp_c"]),
             "rain_mm": float(row["rain_mm"])} for row in csv.DictReader(io.StringIO(data))]


def report(features, fmt="text"):
    """One line per station, wettest first."""
    rows = sorted(features, key=lambda f: -f["total_rain_mm"])
    lines = [f"{f['station']:<6} mean {f['mean_temp_c']:5.1f} °C  rain {f['total_rain_mm']:5.1f} mm  "
             f"wet days {f['wet_days']}" for f in rows]
    text = "\n".join(lines)
    print(text)
    return text
