"""The wheelhouse a submission's extra requirements are installed from, offline."""

from pathlib import Path

from assay.sandbox.wheelhouse import derived_tag, split, wheels


def test_wheels_are_known_by_their_normalized_distribution_name(tmp_path: Path) -> None:
    for name in ("python_dotenv-1.2.4-py3-none-any.whl", "ujson-6.1.0-cp311-cp311-x.whl"):
        (tmp_path / name).touch()
    (tmp_path / "README.txt").touch()

    assert set(wheels(tmp_path)) == {"python-dotenv", "ujson"}


def test_a_missing_wheelhouse_holds_nothing(tmp_path: Path) -> None:
    assert wheels(tmp_path / "absent") == {}


def test_what_the_wheelhouse_lacks_is_named_and_the_rest_installable(tmp_path: Path) -> None:
    available = {"ujson": tmp_path / "ujson.whl"}

    installable, missing = split({"ujson": "ujson>=5", "left-pad": "left-pad"}, available)

    assert installable == {"ujson": "ujson>=5"}
    assert missing == ["left-pad"]


def test_the_derived_image_is_the_same_for_the_same_needs_in_any_order() -> None:
    first = derived_tag("sha256:abc", {"a": "a==1", "b": "b"})
    again = derived_tag("sha256:abc", {"b": "b", "a": "a==1"})

    assert first == again
    assert first != derived_tag("sha256:other", {"a": "a==1", "b": "b"})
    assert first.startswith("assay-runtime-deps:")
