"""Steps that each need a package the others do not have."""

FILES = [
    ("model.pt", 734_003_200, 3 * 86_400),
    ("features.parquet", 52_428_800, 2 * 3_600),
    ("notes.md", 4_096, 90),
]


def files():
    return [{"name": name, "bytes": size, "age_seconds": age} for name, size, age in FILES]


def humanize_rows(files):
    import datetime

    import humanize

    return [
        [f["name"], humanize.naturalsize(f["bytes"], binary=True),
         humanize.naturaldelta(datetime.timedelta(seconds=f["age_seconds"])) + " old"]
        for f in files
    ]


def render(rows):
    from tabulate import tabulate

    table = tabulate(rows, headers=["file", "size", "age"])
    print(table)
    return table
