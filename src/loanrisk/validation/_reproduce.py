"""Refit a saved model on its data and compare: ``reproduce`` (private)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from loanrisk._checks import check_frame
from loanrisk._persist import (
    data_fingerprint,
    decode,
    dumps,
    model_class,
    read_payload,
)
from loanrisk.metrics._result import Result

__all__ = ["ReproduceResult", "reproduce"]

_MAX_DIFFERENCES = 50


@dataclass(frozen=True, repr=False)
class ReproduceResult(Result):
    """Outcome of :func:`reproduce`.

    Attributes
    ----------
    identical : bool
        True when the data fingerprint matches and the refit model's saved
        ``params`` and ``fitted`` JSON equal the file's byte for byte.
    fingerprint_matched : bool
        Whether the data given has the fingerprint recorded at fit time.
    saved_fingerprint, data_fingerprint : str or None
        The recorded fingerprint and the one of the data given.
    differences : tuple of str
        Dotted paths where the refit model differs from the file (e.g.
        ``"fitted.coef"``, ``"metadata.data_fingerprint"``), at most 50; metadata
        differences (library versions) are listed but do not affect `identical`.
    model_class : str
        The class refitted.
    """

    _repr_fields = ("identical", "fingerprint_matched", "differences")

    identical: bool
    fingerprint_matched: bool
    saved_fingerprint: str | None
    data_fingerprint: str
    differences: tuple[str, ...]
    model_class: str


def _diff(a: Any, b: Any, path: str, out: list[str]) -> None:
    if len(out) >= _MAX_DIFFERENCES:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}.{key}")
            else:
                _diff(a[key], b[key], f"{path}.{key}", out)
        return
    if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True):
        out.append(path)


def reproduce(
    model_path: str | os.PathLike[str],
    X: Any,
    y: Any,
    sample_weight: Any = None,
) -> ReproduceResult:
    """Refit a saved model from its parameters on the given data and compare.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    model_path : str or path-like
        A model file written by :func:`loanrisk.save`.
    X, y : DataFrame and array-like
        The training data, as at the original fit (same rows, order and columns).
    sample_weight : array-like, optional
        The weights of the original fit, if any.

    Returns
    -------
    ReproduceResult
        ``identical`` and the list of ``differences``.

    Notes
    -----
    The file is checked (format, schema version, checksum) and its parameters are
    decoded with the model-file decoder; an estimator of the named class is built
    from them, fitted on (X, y), and serialised the same way. ``params`` and
    ``fitted`` are compared as canonical JSON text (sorted keys), so identical means
    byte for byte. The data fingerprint (values, column names, dtypes, order of X,
    y and weights) is checked against the one recorded at fit time.

    Examples
    --------
    >>> import loanrisk, pathlib, tempfile
    >>> from loanrisk.validation import reproduce
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "card.json"
    >>> _ = loanrisk.save(loanrisk.ApplicationScorecard().fit(X, y), path)
    >>> reproduce(path, X, y).identical
    True
    >>> res = reproduce(path, X.iloc[:900], y.iloc[:900])
    >>> res.identical, res.fingerprint_matched
    (False, False)
    """
    payload = read_payload(model_path)
    name = payload["model_class"]
    cls = model_class(name)
    X = check_frame(X, owner="reproduce", name="X")
    params = decode(payload["params"])
    model = cls(**params)
    if sample_weight is None:
        model.fit(X, y)
    else:
        model.fit(X, y, sample_weight=sample_weight)
    refit = model.to_dict()
    saved_fp = payload["metadata"].get("data_fingerprint")
    fp = data_fingerprint(X, y, sample_weight)
    matched = saved_fp == fp
    differences: list[str] = []
    for key in ("params", "fitted", "metadata"):
        _diff(payload[key], refit[key], key, differences)
    same_state = all(dumps(payload[k]) == dumps(refit[k]) for k in ("params", "fitted"))
    return ReproduceResult(
        identical=bool(same_state and matched),
        fingerprint_matched=bool(matched),
        saved_fingerprint=saved_fp,
        data_fingerprint=fp,
        differences=tuple(differences),
        model_class=str(name),
    )
