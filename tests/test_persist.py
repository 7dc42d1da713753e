import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import loanrisk
from loanrisk._persist import data_fingerprint, decode, encode
from loanrisk.errors import InputError, ModelFormatError
from loanrisk.scorecard import ApplicationScorecard


@pytest.fixture(scope="module")
def card(german):
    X, y = german
    return ApplicationScorecard().fit(X, y)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text("abc", max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(json_values)
def test_encode_decode_round_trip(value):
    text = json.dumps(encode(value), allow_nan=False)
    back = decode(json.loads(text))
    assert repr(back) == repr(value) or (
        json.dumps(encode(back)) == json.dumps(encode(value))
    )


def test_encode_rejects_objects():
    with pytest.raises(InputError, match="Cannot save a value of type object"):
        encode(object())


def test_fingerprint_sensitive_to_values_and_target():
    X = pd.DataFrame({"a": [1.0, 2.0, np.nan], "b": pd.Categorical(["x", "y", "x"])})
    base = data_fingerprint(X, [0, 1, 0])
    assert base == data_fingerprint(X.copy(), [0, 1, 0])
    assert base != data_fingerprint(X, [1, 1, 0])
    X2 = X.copy()
    X2.loc[2, "a"] = 0.0
    assert base != data_fingerprint(X2, [0, 1, 0])


def test_save_is_byte_identical_on_refit(german, tmp_path):
    X, y = german
    a = loanrisk.save(ApplicationScorecard().fit(X, y), tmp_path / "a.json")
    b = loanrisk.save(ApplicationScorecard().fit(X, y), tmp_path / "b.json")
    assert a.read_bytes() == b.read_bytes()


def test_metadata_recorded(card):
    meta = card.to_dict()["metadata"]
    assert meta["n_rows"] == 1000
    assert meta["data_fingerprint"].startswith("sha256:")
    assert "optbinning" in meta["dependencies"]


def test_round_trip(card, german, tmp_path):
    X, _ = german
    path = loanrisk.save(card, tmp_path / "m.json")
    back = loanrisk.load(path)
    assert (back.score(X) == card.score(X)).all()
    assert back.table_.equals(card.table_)
    assert back.get_params() == card.get_params()


def _payload(card):
    return json.loads(json.dumps(card.to_dict()))


def _write(tmp_path, payload):
    p = tmp_path / "m.json"
    p.write_text(json.dumps(payload))
    return p


def test_load_rejects_corrupt_json(tmp_path):
    p = tmp_path / "m.json"
    p.write_text('{"format": "loanrisk.model", ')
    with pytest.raises(ModelFormatError, match="JSON is corrupt"):
        loanrisk.load(p)


def test_load_rejects_other_format(tmp_path):
    with pytest.raises(ModelFormatError, match="Not a loanrisk model file"):
        loanrisk.load(_write(tmp_path, {"format": "pickle"}))
    with pytest.raises(ModelFormatError, match="holds one JSON object"):
        loanrisk.load(_write(tmp_path, [1, 2]))


def test_load_rejects_newer_schema(card, tmp_path):
    payload = _payload(card)
    payload["schema_version"] = 99
    with pytest.raises(ModelFormatError, match="schema_version 99.*Upgrade loanrisk"):
        loanrisk.load(_write(tmp_path, payload))


def test_load_rejects_unknown_class(card, tmp_path):
    payload = _payload(card)
    payload["model_class"] = "os.system"
    with pytest.raises(ModelFormatError, match="Unknown model class 'os.system'"):
        loanrisk.load(_write(tmp_path, payload))


def test_load_rejects_tampered_points(card, tmp_path):
    payload = _payload(card)
    f = payload["fitted"]["features"][0]
    payload["fitted"]["engine"]["points"][f][0] += 50
    with pytest.raises(ModelFormatError, match="checksum does not match"):
        loanrisk.load(_write(tmp_path, payload))


def test_load_rejects_tampering_with_recomputed_checksum(card, tmp_path):
    from loanrisk._persist import _checksum

    payload = _payload(card)
    f = payload["fitted"]["features"][0]
    payload["fitted"]["engine"]["points"][f][0] += 50
    payload["checksum"] = _checksum(payload)
    with pytest.raises(ModelFormatError, match="fails its test vectors"):
        loanrisk.load(_write(tmp_path, payload))


def test_load_rejects_inconsistent_state(card, tmp_path):
    from loanrisk._persist import _checksum

    payload = _payload(card)
    payload["fitted"]["engine"]["bins"][0]["splits"] = [3.0, 1.0]
    payload["checksum"] = _checksum(payload)
    with pytest.raises(ModelFormatError, match="not strictly increasing|inconsistent"):
        loanrisk.load(_write(tmp_path, payload))


def test_save_rejects_non_models(tmp_path):
    with pytest.raises(InputError, match="cannot save a dict"):
        loanrisk.save({}, tmp_path / "x.json")


def test_save_unfitted(tmp_path):
    with pytest.raises(loanrisk.errors.NotFittedError, match="not fitted yet"):
        loanrisk.save(ApplicationScorecard(), tmp_path / "x.json")


def test_no_pickle_in_file(card, tmp_path):
    text = loanrisk.save(card, tmp_path / "m.json").read_text()
    assert "pickle" not in text and text.endswith("\n")
    json.loads(text)


def test_payload_matches_envelope_schema(card):
    from importlib import resources

    schema = json.loads(
        (resources.files("loanrisk") / "schemas" / "model.schema.json").read_text()
    )
    payload = _payload(card)
    assert set(payload) == set(schema["required"]) == set(schema["properties"])
    assert payload["format"] == schema["properties"]["format"]["const"]
    assert (
        payload["schema_version"] <= schema["properties"]["schema_version"]["maximum"]
    )
    import re

    assert re.match(schema["properties"]["checksum"]["pattern"], payload["checksum"])


def test_non_text_keys_round_trip():
    value = {1: "car", 2.5: "home", (1, 2): "x"}
    text = json.dumps(encode(value), allow_nan=False)
    assert decode(json.loads(text)) == value


def test_segmented_with_numeric_map_saves(german, tmp_path):
    from loanrisk.scorecard import SegmentedScorecard

    X, y = german
    X2 = X[["duration_in_month", "credit_amount", "age_in_years"]].assign(
        grp=(X["duration_in_month"] > 18).astype(int)
    )
    card = SegmentedScorecard("grp", segment_map={0: "short", 1: "long"}).fit(X2, y)
    back = loanrisk.load(loanrisk.save(card, tmp_path / "m.json"))
    assert back.segment_map == {0: "short", 1: "long"}
    assert (back.score(X2) == card.score(X2)).all()
