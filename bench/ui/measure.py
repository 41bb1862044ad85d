"""Starts `flowspec ui` on a store and times its pages: `measure.py FLOWSPEC STORE BIG_RUN RUNS`.

Each page is fetched once to warm up, then RUNS times; the table gives the median and the
slowest, and the page's size. Times are whole HTTP answers on loopback, as a browser gets them
(its own rendering aside)."""
import statistics
import subprocess
import sys
import time
import urllib.request


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        body = answer.read()
    return time.perf_counter() - started, len(body)


def main(flowspec, store, big, runs):
    server = subprocess.Popen([flowspec, "ui", "--port", "0", "--store", store], stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        run = big.split("/")[1]
        pages = [
            ("runs page (1,000 runs, the newest 50)", ""),
            ("runs page 20 (the oldest)", "?page=19"),
            ("runs filtered by tag", "?tag=nightly"),
            ("run page, 10,000 tasks", f"runs/{run}"),
            ("its live state (JSON)", f"runs/{run}/live"),
            ("its task table, page 50", f"runs/{run}?page=50"),
            ("a task of the foreach", f"runs/{run}/work/5000"),
            ("the join (10,000 parents)", f"runs/{run}/join"),
        ]
        print(f"| page ({runs} fetches after a warm-up) | median | slowest | size |")
        print("|---|---|---|---|")
        for name, path in pages:
            fetch(base + path)
            times, size = [], 0
            for _ in range(runs):
                seconds, size = fetch(base + path)
                times.append(seconds)
            median, slowest = statistics.median(times) * 1000, max(times) * 1000
            print(f"| {name} | {median:.0f} ms | {slowest:.0f} ms | {size / 1024:.0f} KiB |")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
