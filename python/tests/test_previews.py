import base64

import pytest

from flowspec._runtime import previews


def test_a_dict_is_a_bounded_tree_with_its_keys_in_order(worker):
    nested = {"z": 1, "a": {"b": {"c": {"d": {"e": 1}}}}, "<script>": "x"}
    response = worker.send("preview", value=worker.blob(nested))
    assert response["status"] == "ok", response
    preview = response["preview"]
    assert preview["format"] == previews.FORMAT and preview["kind"] == "tree"
    tree = preview["tree"]
    assert [child["key"] for child in tree["children"]] == ["z", "a", "<script>"]
    level = tree["children"][1]
    for _ in range(previews.DEPTH - 1):
        level = level["children"][0]
    assert "children" not in level and level["repr"] == "{'d': {'e': 1}}"


def test_a_large_dict_says_how_many_entries_it_left_out():
    preview = previews.make({str(i): i for i in range(previews.ENTRIES + 7)})
    assert len(preview["tree"]["children"]) == previews.ENTRIES and preview["tree"]["more"] == 7


def test_png_and_svg_bytes_are_images_and_other_bytes_are_not():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10
    assert previews.make(png)["image"] == {"mime": "image/png", "base64": base64.b64encode(png).decode()}
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert previews.make(svg)["image"]["mime"] == "image/svg+xml"
    assert previews.make(b"just bytes")["kind"] == "none"
    too_large = previews.make(b"\x89PNG\r\n\x1a\n" + b"\x00" * previews.IMAGE_BYTES)
    assert too_large["kind"] == "none" and "too large" in too_large["note"]


def test_an_array_by_shape_dtype_and_statistics_of_its_finite_values():
    np = pytest.importorskip("numpy")
    values = np.array([[1.0, np.nan], [3.0, np.inf]])
    facts = previews.make(values)["array"]
    assert facts["shape"] == [2, 2] and facts["dtype"] == "float64"
    assert facts["stats"] == [{"name": "min", "value": "1"}, {"name": "max", "value": "3"},
                              {"name": "mean", "value": "2"}, {"name": "std", "value": "1"},
                              {"name": "nan", "value": "1"}]
    assert previews.make(np.array(["a", "b"]))["array"]["stats"] == []
    assert len(previews.make(np.arange(10**6))["array"]["sample"]) <= previews.SAMPLE


def test_values_with_nothing_more_to_show_than_their_repr():
    for value in (3, "text", [1, 2], None):
        assert previews.make(value) == {"kind": "none"}


def test_a_preview_that_fails_is_an_exception_failure(worker, tmp_path, monkeypatch):
    (tmp_path / "bad_items.py").write_text(
        "class Bad(dict):\n    def __len__(self):\n        raise RuntimeError('no length')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import bad_items
    response = worker.send("preview", value=worker.blob(bad_items.Bad(a=1)))
    assert response["status"] == "failed"
    assert response["error"]["kind"] == "exception" and "no length" in response["error"]["message"]
