"""Model files: versioned JSON, never pickle.

A model file is one JSON object::

    {
      "format": "loanrisk.model",
      "schema_version": 1,
      "loanrisk_version": "0.1.0",
      "model_class": "ApplicationScorecard",
      "params": {...},            # get_params(deep=False), JSON-encoded
      "fitted": {...},            # the class's own fitted state
      "metadata": {...},          # data fingerprint, n_rows, random_state, versions
      "checksum": "sha256:..."    # over params, fitted and metadata
    }

The envelope is described by ``loanrisk/schemas/model.schema.json``. Loading never runs
code from the file: ``model_class`` is looked up in a fixed table of loanrisk classes.
Files are written with sorted keys and no timestamps, so the same fit gives the same
bytes.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
from collections.abc import Mapping
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from loanrisk._version import __version__
from loanrisk.errors import InputError, ModelFormatError

__all__ = ["load", "save"]

FORMAT = "loanrisk.model"
SCHEMA_VERSION = 1

#: Classes a model file may name, mapped to the module that defines them. Only these
#: are ever imported by :func:`load`.
MODEL_CLASSES: dict[str, str] = {
    "WoEBinner": "loanrisk.binning._woe",
    "ApplicationScorecard": "loanrisk.scorecard._logistic",
    "GradientBoostingScorecard": "loanrisk.scorecard._gbm",
    "SegmentedScorecard": "loanrisk.scorecard._segmented",
    "BehaviouralScorecard": "loanrisk.behaviour._scorecard",
    "ThresholdCalibrator": "loanrisk.warning._calibrate",
    "WarningBands": "loanrisk.warning._bands",
    "EarlyWarningSystem": "loanrisk.warning._system",
}

_DEPENDENCIES = (
    "numpy",
    "pandas",
    "scikit-learn",
    "scipy",
    "statsmodels",
    "optbinning",
)


# ---------------------------------------------------------------------------
# JSON encoding of values
# ---------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """Turn a value into plain JSON types, tagging what JSON cannot hold.

    Non-finite floats become ``{"$float": "nan" | "inf" | "-inf"}``, tuples
    ``{"$tuple": [...]}``, mappings with non-text keys ``{"$map": [[key, value],
    ...]}``, numpy arrays lists, and loanrisk estimators
    ``{"$estimator": name, "params": {...}}``.

    Examples
    --------
    >>> encode({"a": (1, float("nan"))})
    {'a': {'$tuple': [1, {'$float': 'nan'}]}}
    >>> decode(encode({"a": (1, 2.5)}))
    {'a': (1, 2.5)}
    >>> decode(encode({1: "car", 2: "home"}))
    {1: 'car', 2: 'home'}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f):
            return {"$float": "nan"}
        if math.isinf(f):
            return {"$float": "inf" if f > 0 else "-inf"}
        return f
    if isinstance(value, np.ndarray):
        return [encode(v) for v in value.tolist()]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            # JSON objects take text keys only: keep other keys as [key, value]
            # pairs, in the mapping's order.
            return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k.startswith("$"):
                raise InputError(
                    f"Cannot save the key {k!r}: keys starting with $ are "
                    "reserved by the model file format."
                )
            out[k] = encode(v)
        return out
    if type(value).__name__ in MODEL_CLASSES and hasattr(value, "get_params"):
        return {
            "$estimator": type(value).__name__,
            "params": encode(value.get_params(deep=False)),
        }
    raise InputError(
        f"Cannot save a value of type {type(value).__name__} ({value!r}) in a model "
        "file: parameters must be numbers, text, lists, dicts or loanrisk estimators."
    )


def decode(value: Any) -> Any:
    """Inverse of :func:`encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "$float" in value:
            return float(value["$float"])
        if "$tuple" in value:
            return tuple(decode(v) for v in value["$tuple"])
        if "$map" in value:
            return {_hashable(decode(k)): decode(v) for k, v in value["$map"]}
        if "$estimator" in value:
            cls = model_class(value["$estimator"])
            return cls(**decode(value["params"]))
        return {k: decode(v) for k, v in value.items()}
    return value


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(k) for k in key)
    return key


def dumps(payload: Mapping[str, Any]) -> str:
    """Canonical JSON text: sorted keys, two-space indent, no NaN, trailing newline."""
    return json.dumps(payload, sort_keys=True, indent=2, allow_nan=False) + "\n"


def _checksum(payload: Mapping[str, Any]) -> str:
    body = {k: payload[k] for k in ("model_class", "params", "fitted", "metadata")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Fingerprints and metadata
# ---------------------------------------------------------------------------


def data_fingerprint(X: pd.DataFrame, y: Any = None, sample_weight: Any = None) -> str:
    """SHA-256 fingerprint of the training data (values, column names, dtypes, order).

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1.0, 2.0]})
    >>> data_fingerprint(X) == data_fingerprint(X.copy())
    True
    >>> data_fingerprint(X) == data_fingerprint(X.iloc[::-1])
    False
    """
    h = hashlib.sha256()
    h.update(json.dumps([str(c) for c in X.columns]).encode())
    h.update(json.dumps([str(t) for t in X.dtypes]).encode())
    for col in X.columns:
        s = X[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        hashed = pd.util.hash_pandas_object(s, index=False, categorize=False)
        h.update(hashed.to_numpy().tobytes())
    for extra in (y, sample_weight):
        if extra is None:
            h.update(b"none")
        else:
            h.update(np.ascontiguousarray(np.asarray(extra, dtype=float)).tobytes())
    return "sha256:" + h.hexdigest()


def dependency_versions() -> dict[str, str]:
    """Versions of the libraries a fit depends on (recorded in model files)."""
    out = {}
    for name in _DEPENDENCIES:
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:  # pragma: no cover
            out[name] = "not installed"
    return out


def fit_metadata(
    X: pd.DataFrame, y: Any, sample_weight: Any, random_state: Any
) -> dict[str, Any]:
    """Metadata recorded at fit time and saved with the model."""
    return {
        "data_fingerprint": data_fingerprint(X, y, sample_weight),
        "n_rows": int(X.shape[0]),
        "n_columns": int(X.shape[1]),
        "columns": [str(c) for c in X.columns],
        "random_state": random_state if isinstance(random_state, int) else None,
        "dependencies": dependency_versions(),
    }


# ---------------------------------------------------------------------------
# Mixin for persistable estimators
# ---------------------------------------------------------------------------


def model_class(name: Any) -> type[Any]:
    """The loanrisk class a model file names; ModelFormatError if it is unknown."""
    if not isinstance(name, str) or name not in MODEL_CLASSES:
        known = ", ".join(sorted(MODEL_CLASSES))
        raise ModelFormatError(
            f"Unknown model class {name!r} in the model file. This version of "
            f"loanrisk ({__version__}) reads: {known}."
        )
    module = importlib.import_module(MODEL_CLASSES[name])
    cls: type[Any] = getattr(module, name)
    return cls


class PersistMixin:
    """Adds ``to_dict`` / ``from_dict`` to an estimator.

    Subclasses implement ``_get_state()`` (a JSON-encodable dict of the fitted state)
    and ``_set_state(state)`` (restore it; raise ``ModelFormatError`` if it is
    inconsistent). ``fit`` sets ``fit_metadata_`` with :func:`fit_metadata`.
    A subclass may implement ``_verify_loaded()`` to check test vectors after loading.
    """

    _state_attribute: ClassVar[str] = "fit_metadata_"

    def to_dict(self) -> dict[str, Any]:
        """Serialise the fitted model to a JSON-compatible dict (see :func:`save`)."""
        from loanrisk._checks import check_fitted

        check_fitted(self, self._state_attribute)
        params = self.get_params(deep=False)  # type: ignore[attr-defined]
        payload: dict[str, Any] = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "loanrisk_version": __version__,
            "model_class": type(self).__name__,
            "params": encode(params),
            "fitted": encode(self._get_state()),  # type: ignore[attr-defined]
            "metadata": encode(getattr(self, "fit_metadata_", {})),
        }
        payload["checksum"] = _checksum(payload)
        return payload

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> Self:
        """Rebuild a fitted model from :meth:`to_dict` output.

        Raises
        ------
        ModelFormatError
            If the payload is not a loanrisk model of this class, has a newer schema
            version, or fails its integrity checks.
        """
        _check_envelope(payload)
        if payload["model_class"] != cls.__name__:
            raise ModelFormatError(
                f"The payload holds a {payload['model_class']}, not a {cls.__name__}. "
                "Use loanrisk.load(path) to load any model class."
            )
        try:
            params = decode(payload["params"])
            model = cls(**params)
        except TypeError as exc:
            raise ModelFormatError(
                f"The parameters in the model file do not fit {cls.__name__}: {exc}."
            ) from None
        try:
            model._set_state(decode(payload["fitted"]))  # type: ignore[attr-defined]
        except ModelFormatError:
            raise
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelFormatError(
                f"The fitted state of the {cls.__name__} in the model file is "
                f"inconsistent ({type(exc).__name__}: {exc}). The file is corrupt or "
                "was edited by hand; refit and save the model again."
            ) from None
        model.fit_metadata_ = decode(payload["metadata"])  # type: ignore[attr-defined]
        verify = getattr(model, "_verify_loaded", None)
        if verify is not None:
            verify()
        return model


def _check_envelope(payload: Any) -> None:
    if not isinstance(payload, Mapping):
        raise ModelFormatError(
            "A loanrisk model file holds one JSON object; this one holds "
            f"{type(payload).__name__}."
        )
    if payload.get("format") != FORMAT:
        raise ModelFormatError(
            f"Not a loanrisk model file: 'format' is {payload.get('format')!r}, "
            f"expected {FORMAT!r}."
        )
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelFormatError(
            f"The model file has an invalid schema_version {version!r}."
        )
    if version > SCHEMA_VERSION:
        raise ModelFormatError(
            f"The model file has schema_version {version}, written by loanrisk "
            f"{payload.get('loanrisk_version')!r}; this loanrisk ({__version__}) reads "
            f"up to version {SCHEMA_VERSION}. Upgrade loanrisk to load it."
        )
    required = ("model_class", "params", "fitted", "metadata", "checksum")
    missing = [k for k in required if k not in payload]
    if missing:
        raise ModelFormatError(f"The model file lacks the field(s) {missing}.")
    for key in ("params", "fitted", "metadata"):
        if not isinstance(payload[key], Mapping):
            raise ModelFormatError(f"The model file's {key!r} must be an object.")
    model_class(payload["model_class"])
    if payload["checksum"] != _checksum(payload):
        raise ModelFormatError(
            "The model file's checksum does not match its content: the parameters or "
            "fitted state were changed after saving. Refit and save the model again, "
            "or restore the original file."
        )


def save(model: Any, path: str | os.PathLike[str]) -> Path:
    """Save a fitted loanrisk model to a JSON file (never pickle).

    Parameters
    ----------
    model : estimator
        A fitted loanrisk model (any class with ``to_dict``).
    path : str or path-like
        Destination file; parent folders must exist.

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import loanrisk, tempfile, pathlib
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> card = loanrisk.ApplicationScorecard().fit(X, y)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.json"
    >>> _ = loanrisk.save(card, path)
    >>> bool((loanrisk.load(path).score(X) == card.score(X)).all())
    True
    """
    to_dict = getattr(model, "to_dict", None)
    if to_dict is None or type(model).__name__ not in MODEL_CLASSES:
        raise InputError(
            f"loanrisk.save cannot save a {type(model).__name__}: it saves loanrisk "
            f"models ({', '.join(sorted(MODEL_CLASSES))})."
        )
    text = dumps(to_dict())
    out = Path(path)
    out.write_text(text, encoding="utf-8")
    return out


def load(path: str | os.PathLike[str]) -> Any:
    """Load a model saved with :func:`save`.

    Raises
    ------
    ModelFormatError
        If the file is not valid JSON, not a loanrisk model, names an unknown class,
        has a newer schema version, fails its checksum or its test vectors.
    FileNotFoundError
        If ``path`` does not exist.
    """
    payload = read_payload(path)
    cls = model_class(payload["model_class"])
    return cls.from_dict(payload)


def read_payload(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON payload of a model file, its envelope and checksum checked."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError(
            f"{p} is not a valid model file: its JSON is corrupt ({exc.msg} at line "
            f"{exc.lineno}, column {exc.colno})."
        ) from None
    _check_envelope(payload)
    return dict(payload)
