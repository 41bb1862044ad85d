"""Step functions of movies.yaml: statistics per genre from a CSV of movies.

The CSV has columns title, year, genres (separated by "|") and rating (0-10).
"""

import csv
import io
import statistics


def load(data):
    """Parse the CSV text of the `data` param: returns (movies, genres), genres sorted."""
    movies = []
    for row in csv.DictReader(io.StringIO(data)):
        movies.append({
            "title": row["title"],
            "year": int(row["year"]),
            "genres": [g.strip() for g in row["genres"].split("|") if g.strip()],
            "rating": float(row["rating"]),
        })
    genres = sorted({genre for movie in movies for genre in movie["genres"]})
    return movies, genres


def stats(genre, movies):
    """Count, mean rating and best-rated title of one genre."""
    selected = [movie for movie in movies if genre in movie["genres"]]
    best = max(selected, key=lambda movie: movie["rating"]) if selected else None
    return {
        "genre": genre,
        "count": len(selected),
        "mean_rating": round(statistics.fmean(m["rating"] for m in selected), 2) if selected else None,
        "best": best["title"] if best else None,
    }


def combine(all_stats):
    """One table, most common genres first."""
    return sorted(all_stats, key=lambda row: (-row["count"], row["genre"]))


def report(table, fmt, top, genre):
    """Print the `top` genres as a Markdown (or plain) table, marking the `genre` param's row."""
    rows = table[: int(top)]
    if fmt == "markdown":
        lines = ["| genre | movies | mean rating | best |", "|---|---|---|---|"]
        for row in rows:
            name = f"**{row['genre']}**" if row["genre"] == genre else row["genre"]
            lines.append(f"| {name} | {row['count']} | {row['mean_rating']} | {row['best']} |")
    else:
        lines = [f"{row['genre']:<12} {row['count']:>3} {row['mean_rating']:>5} {row['best']}" for row in rows]
    chosen = next((row for row in table if row["genre"] == genre), None)
    if chosen is None:
        lines.append(f"\n{genre}: no movies")
    print("\n".join(lines))
    return "\n".join(lines)
