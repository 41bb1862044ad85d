"""`flowspec ui` and `flowspec report` in a real headless Chromium: what a person would see."""
import subprocess
import urllib.error
import urllib.request

from conftest import FLOWS

HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 1\">'\"&"

# Nothing user-controlled became markup: the page's own script is its only one, no element has an
# event handler, no script of a hostile string ran, and the page is no wider than the window.
UNHARMED = """(() => ({
    scripts: [...document.scripts].map(s => s.getAttribute('src')),
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    pwned: window.__pwned === 1,
    wide: document.documentElement.scrollWidth > window.innerWidth + 1,
}))()"""


def texts(page, selector):
    return page.evaluate(f"[...document.querySelectorAll({selector!r})].map(e => e.textContent)")


def attribute(page, selector, name):
    return page.evaluate(f"document.querySelector({selector!r}).getAttribute({name!r})")


def unharmed(page):
    assert page.evaluate(UNHARMED) == {"scripts": ["/static/ui.js"], "handlers": 0, "pwned": False, "wide": False}


def test_the_runs_page_lists_every_run_newest_first_and_filters_them(page, ui, store):
    page.open(ui)
    shown = texts(page, "table.runs td.name a")
    assert shown == [store.runs[name] for name in ("movies5", "movies3", "fails", "gallery")]
    tasks = page.evaluate("[...document.querySelectorAll('table.runs tbody tr')].map(r => r.cells[5].textContent)")
    assert tasks[0] == "15 tasks: 15 completed"
    assert tasks[2].endswith("1 failed"), "how many others ran before the failure stopped it may vary"
    table = page.evaluate("document.querySelector('table.runs').innerText")
    assert "<script>window.__pwned = 1</script>" in table, "the tag shows as text"
    unharmed(page)
    page.open(ui + "?status=failed")
    assert texts(page, "table.runs td.name a") == [store.runs["fails"]]


def test_a_runs_graph_draws_every_step_in_its_state(page, ui, store):
    run = store.runs["fails"]
    page.open(f"{ui}runs/{run.split('/')[1]}")
    drawn = page.evaluate("Object.fromEntries([...document.querySelectorAll('svg.graph [data-step]')]"
                          ".map(g => [g.dataset.step, g.getAttribute('class')]))")
    steps = [step["name"] for step in store.inspect(run)["steps"]]
    assert sorted(drawn) == sorted(steps)
    assert drawn["start"] == "step state-completed"
    assert drawn["each"] == "step state-failed"
    assert drawn["join"] == "step state-not-run"
    bars = page.evaluate("document.querySelectorAll('svg.timeline rect.bar').length")
    assert bars >= 5, "the timeline draws the attempts"
    assert page.evaluate("document.querySelectorAll('svg.timeline rect.bar.failed').length") >= 1
    unharmed(page)


def test_the_failing_task_shows_its_traceback(page, ui, store):
    run = store.runs["fails"].split("/")[1]
    page.open(f"{ui}runs/{run}/each/2")
    traceback = page.evaluate("document.querySelector('pre.traceback').innerText")
    assert "Traceback (most recent call last):" in traceback
    assert 'gallery.py", line' in traceback and "in each" in traceback
    assert traceback.rstrip().endswith("ValueError: bad item " + HOSTILE)
    unharmed(page)


def test_a_task_shows_a_data_frames_rows_an_arrays_facts_and_images(page, ui, store):
    run = store.runs["gallery"].split("/")[1]
    page.open(f"{ui}runs/{run}/start")
    page.wait_for(lambda: page.evaluate(
        "[...document.querySelectorAll('[data-preview]')].every(p => p.dataset.ready === '1')"), seconds=120)
    rows = page.evaluate("[...document.querySelectorAll('table.frame tbody tr')]"
                         ".map(r => [...r.cells].map(c => c.textContent))")
    assert rows[:2] == [["0", "movie 0", "5.0"], ["1", "movie 1", "5.1"]]
    assert len(rows) == 20, "the first 20 of 41 rows"
    assert "showing the first 20 of 41 rows" in page.evaluate("document.querySelector('.preview-table').innerText")
    facts = page.evaluate("Object.fromEntries([...document.querySelectorAll('.array-facts dt')]"
                          ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))")
    assert facts == {"shape": "(1001,)", "dtype": "float64", "min": "0", "max": "10", "mean": "5.00497",
                     "std": "2.8868", "nan": "1"}
    images = page.evaluate("[...document.querySelectorAll('img.preview-image')]"
                           ".map(i => [i.src.slice(0, 22), i.complete && i.naturalWidth > 0])")
    assert images == [["data:image/png;base64,", True], ["data:image/png;base64,", True],
                      ["data:image/svg+xml;bas", True]], "the figure, the PNG bytes and the SVG bytes, displayed"
    tree = page.evaluate("document.querySelector('.preview-tree').innerText")
    assert "model" in tree and "scores" in tree
    output = page.evaluate("document.querySelector('pre.stdout').innerText")
    assert output.startswith("printing " + HOSTILE) and "x" * 1000 in output
    unharmed(page)


def test_a_runs_page_shows_what_its_steps_report_first(page, ui, store):
    run = store.runs["gallery"].split("/")[1]
    page.open(f"{ui}runs/{run}")
    page.wait_for(lambda: page.evaluate(
        "[...document.querySelectorAll('#reported [data-preview]')].every(p => p.dataset.ready === '1')"), seconds=120)
    sections = page.evaluate("[...document.querySelectorAll('main section, body section')].map(s => s.id)")
    assert sections[0] == "reported", sections
    assert texts(page, "#reported td.name:nth-child(2)") == ["figure", "frame"]
    assert texts(page, "#reported td.name:first-child a") == ["start", "start"]
    image = page.evaluate("[...document.querySelectorAll('#reported img.preview-image')].map(i => i.naturalWidth > 0)")
    assert image == [True], "the figure, displayed"
    assert page.evaluate("document.querySelectorAll('#reported table.frame tbody tr').length") == 20
    unharmed(page)


def test_two_runs_side_by_side_mark_the_params_that_differ(page, ui, store):
    first, second = (store.runs[name].split("/")[1] for name in ("movies3", "movies5"))
    page.open(f"{ui}compare?run={first}&run={second}")
    differing = page.evaluate("[...document.querySelectorAll('#params tr.differs td.name')].map(td => td.textContent)")
    assert differing == ["top"]
    same = page.evaluate("[...document.querySelectorAll('#params tr:not(.differs) td.name')].map(td => td.textContent)")
    assert sorted(same) == ["data", "genre"]
    unharmed(page)


def test_a_running_runs_page_updates_without_a_reload(page, ui, store, tmp_path):
    marker = tmp_path / "go"
    command = [store.binary, "run", "waits.yaml", "-p", f"marker={marker}", "--store", str(store.path)]
    run = subprocess.Popen(command, cwd=FLOWS, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    try:
        name = run.stdout.readline().strip()
        page.wait_for(lambda: store.inspect(name)["status"] == "running" and _task_running(store, name))
        page.open(f"{ui}runs/{name.split('/')[1]}")
        page.evaluate("window.__samePage = true")
        assert texts(page, "[data-live=status]") == ["running"]
        assert attribute(page, "[data-step=start]", "class") == "step state-running"
        marker.touch()
        assert run.wait(timeout=120) == 0
        page.wait_for(lambda: page.evaluate("document.body.dataset.runState") == "done")
        assert texts(page, "[data-live=status]") == ["completed"]
        assert attribute(page, "[data-step=end]", "class") == "step state-completed"
        assert page.evaluate("window.__samePage") is True, "the page was updated in place, not reloaded"
    finally:
        marker.touch()
        run.wait(timeout=120)


def _task_running(store, name):
    return any(step["name"] == "start" and "running" in step["tasks"] for step in store.inspect(name)["steps"])


def test_the_report_opens_offline_with_no_request(page, store, tmp_path):
    report = tmp_path / "gallery.html"
    store.flowspec("report", store.runs["gallery"], "-o", str(report))
    page.open(report.as_uri())
    requested = page.requested()
    assert requested and all(url.startswith(("file:", "data:")) for url in requested), requested
    assert page.evaluate("document.querySelectorAll('#data table.frame tbody tr').length") == 20
    assert page.evaluate("[...document.querySelectorAll('img.preview-image')].every(i => i.naturalWidth > 0)")
    assert page.evaluate("document.querySelectorAll('#data img.preview-image').length") == 3
    assert texts(page, "#reported td.name:nth-child(2)") == ["figure", "frame"], "the step's report: first"
    assert page.evaluate("document.querySelectorAll('#reported img.preview-image').length") == 1
    assert page.evaluate("document.querySelectorAll('#reported table.frame tbody tr').length") == 20
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("window.__pwned === 1") is False


def test_the_server_refuses_another_sites_name_for_it(ui):
    request = urllib.request.Request(ui, headers={"Host": "attacker.example"})
    try:
        urllib.request.urlopen(request, timeout=30)
        raise AssertionError("answered a request for another host name")
    except urllib.error.HTTPError as error:
        assert error.code == 421
