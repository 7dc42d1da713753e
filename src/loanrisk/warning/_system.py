"""Early-warning indicators declared as data, combined with score bands (private)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from loanrisk._checks import check_fitted, check_frame, check_option, format_labels
from loanrisk._persist import PersistMixin, fit_metadata
from loanrisk.errors import InputError, ModelFormatError
from loanrisk.warning._bands import WarningBands
from loanrisk.warning._calibrate import (
    ThresholdCalibrator,
    from_nested_state,
    nested_state,
)

__all__ = ["EarlyWarningSystem"]

_OWNER = "EarlyWarningSystem"
OPERATORS = (">", ">=", "<", "<=", "==", "!=")
_ORDERING = (">", ">=", "<", "<=")
_RULE_KEYS = {"name", "column", "operator", "threshold", "severity", "calibrate"}
_EXAMPLE = (
    '{"name": "missed_first_payment", "column": "missed_payments", "operator": ">=", '
    '"threshold": 1, "severity": "red"}'
)


def _compare(values: np.ndarray, operator: str, threshold: Any) -> np.ndarray:
    if operator == ">":
        out = values > threshold
    elif operator == ">=":
        out = values >= threshold
    elif operator == "<":
        out = values < threshold
    elif operator == "<=":
        out = values <= threshold
    elif operator == "==":
        out = values == threshold
    else:
        out = values != threshold
    return np.asarray(out, dtype=bool)


class EarlyWarningSystem(PersistMixin, BaseEstimator):  # type: ignore[misc]
    """Early-warning indicator rules and model-score bands, evaluated over a book.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    rules : list of dict
        One dict per indicator with keys ``column``, ``operator`` (one of ``>``,
        ``>=``, ``<``, ``<=``, ``==``, ``!=``), ``threshold`` (a number, or a text or
        boolean value for ``==``/``!=``), ``severity`` (a level of `levels` other than
        the first) and optionally ``name`` (default ``"column operator threshold"``).
        Instead of ``threshold``, a numeric rule may give ``calibrate``: the
        keyword arguments of a :class:`ThresholdCalibrator` (e.g. ``{"objective":
        "precision", "target": 0.3}``); the threshold is then calibrated on the
        column in :meth:`fit` (operator ``>``/``>=`` means higher is riskier,
        ``<``/``<=`` lower).
    levels : sequence of str, default ("green", "amber", "red")
        Ordered levels, from no alert to the most severe.
    score_column : str, optional
        Column holding the model score that `bands` classify.
    bands : WarningBands, optional
        Score bands, whose level names must be in `levels`. Fitted in :meth:`fit` on
        ``X[score_column]`` and ``y`` (or used as is when already fitted and no ``y``
        is given).
    missing : {"error", "no_alert"}, default "error"
        What a missing value in a rule's column means: an error, or that the rule
        does not fire.

    Attributes
    ----------
    rules_ : DataFrame
        The rules with their resolved thresholds: ``name``, ``column``,
        ``operator``, ``threshold``, ``severity``, ``calibrated``.
    calibrators_ : dict of str to ThresholdCalibrator
        The fitted calibrator of each calibrated rule.
    bands_ : WarningBands or None
        The fitted score bands.

    Examples
    --------
    >>> import pandas as pd
    >>> from loanrisk.warning import EarlyWarningSystem
    >>> book = pd.DataFrame(
    ...     {"missed": [0, 1, 0, 2], "utilisation_jump": [0.05, 0.1, 0.4, 0.6]},
    ...     index=["a", "b", "c", "d"],
    ... )
    >>> ews = EarlyWarningSystem([
    ...     {"name": "missed_payment", "column": "missed", "operator": ">=",
    ...      "threshold": 1, "severity": "red"},
    ...     {"name": "utilisation_jump", "column": "utilisation_jump",
    ...      "operator": ">", "threshold": 0.3, "severity": "amber"},
    ... ]).fit(book)
    >>> ews.evaluate(book)
      level  n_rules                             rules
    a  green        0
    b    red        1                    missed_payment
    c  amber        1                  utilisation_jump
    d    red        2  missed_payment, utilisation_jump
    """

    def __init__(
        self,
        rules: Any,
        *,
        levels: Any = ("green", "amber", "red"),
        score_column: str | None = None,
        bands: WarningBands | None = None,
        missing: str = "error",
    ) -> None:
        self.rules = rules
        self.levels = levels
        self.score_column = score_column
        self.bands = bands
        self.missing = missing

    # -- parameters -----------------------------------------------------------
    def _check_params(self) -> list[dict[str, Any]]:
        check_option(self.missing, "missing", self, ("error", "no_alert"))
        levels = self.levels
        if (
            not isinstance(levels, list | tuple)
            or len(levels) < 2
            or not all(isinstance(v, str) for v in levels)
            or len(set(levels)) != len(levels)
        ):
            raise InputError(
                f"{_OWNER}: levels must be at least two distinct level names, from "
                f"no alert to the most severe, e.g. ('green', 'amber', 'red'). Got "
                f"{levels!r}."
            )
        if not isinstance(self.rules, list | tuple):
            raise InputError(
                f"{_OWNER}: rules must be a list of dicts such as {_EXAMPLE}. Got "
                f"{type(self.rules).__name__}."
            )
        if (self.bands is None) != (self.score_column is None):
            raise InputError(
                f"{_OWNER}: score_column and bands go together: pass both (the "
                "column with the model score and the WarningBands for it) or neither."
            )
        if self.bands is not None:
            if not isinstance(self.bands, WarningBands):
                raise InputError(
                    f"{_OWNER}: bands must be a WarningBands. Got "
                    f"{type(self.bands).__name__}."
                )
            names = [self.bands.base_level, *(b[0] for b in self.bands.bands)]
            unknown = [n for n in names if n not in levels]
            if unknown:
                raise InputError(
                    f"{_OWNER}: the bands' level(s) {unknown} are not in levels "
                    f"{list(levels)}. Use the same level names in both."
                )
        if not self.rules and self.bands is None:
            raise InputError(
                f"{_OWNER}: give at least one rule or score bands; got neither."
            )
        out = []
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            out.append(self._check_rule(i, rule, levels))
            name = out[-1]["name"]
            if name in seen:
                raise InputError(
                    f"{_OWNER}: rule name {name!r} is used twice (rules[{i}]). Give "
                    "each rule a unique 'name'."
                )
            seen.add(name)
        return out

    def _check_rule(self, i: int, rule: Any, levels: Any) -> dict[str, Any]:
        where = f"{_OWNER}: rules[{i}]"
        if not isinstance(rule, Mapping):
            raise InputError(
                f"{where} must be a dict such as {_EXAMPLE}. Got {rule!r}."
            )
        extra = sorted(set(rule) - _RULE_KEYS)
        if extra:
            raise InputError(
                f"{where} has unknown key(s) {extra}; the keys are "
                f"{sorted(_RULE_KEYS)}."
            )
        for key in ("column", "operator", "severity"):
            if key not in rule:
                raise InputError(
                    f"{where} lacks {key!r}. A rule looks like {_EXAMPLE}."
                )
        op = rule["operator"]
        if op not in OPERATORS:
            raise InputError(
                f"{where} has operator {op!r}; use one of {', '.join(OPERATORS)}."
            )
        if rule["severity"] not in levels[1:]:
            raise InputError(
                f"{where} has severity {rule['severity']!r}; use one of "
                f"{list(levels[1:])} (the first level, {levels[0]!r}, means no alert)."
            )
        calibrate = rule.get("calibrate")
        has_threshold = rule.get("threshold") is not None
        if has_threshold == (calibrate is not None):
            raise InputError(
                f"{where} needs exactly one of 'threshold' (a fixed value) and "
                "'calibrate' (ThresholdCalibrator arguments, e.g. {'objective': "
                "'precision', 'target': 0.3})."
            )
        if calibrate is not None:
            if op not in _ORDERING:
                raise InputError(
                    f"{where}: a calibrated threshold needs an ordering operator "
                    f"(>, >=, <, <=); got {op!r}."
                )
            if not isinstance(calibrate, Mapping) or "higher_is_riskier" in calibrate:
                raise InputError(
                    f"{where}: 'calibrate' must be a dict of ThresholdCalibrator "
                    "arguments without higher_is_riskier (the operator sets it). Got "
                    f"{calibrate!r}."
                )
        elif op in _ORDERING and not _is_number(rule["threshold"]):
            raise InputError(
                f"{where}: operator {op!r} needs a numeric threshold; got "
                f"{rule['threshold']!r}."
            )
        name = rule.get("name")
        if name is None:
            name = f"{rule['column']} {op} " + (
                "calibrated" if calibrate is not None else str(rule["threshold"])
            )
        if not isinstance(name, str):
            raise InputError(f"{where}: 'name' must be text. Got {name!r}.")
        return {
            "name": name,
            "column": rule["column"],
            "operator": op,
            "threshold": rule.get("threshold"),
            "severity": rule["severity"],
            "calibrate": dict(calibrate) if calibrate is not None else None,
        }

    def _columns(self, rules: list[dict[str, Any]]) -> list[str]:
        cols = [r["column"] for r in rules]
        if self.score_column is not None:
            cols.append(self.score_column)
        return list(dict.fromkeys(cols))

    # -- fitting --------------------------------------------------------------
    def fit(
        self, X: Any, y: Any = None, sample_weight: Any = None
    ) -> EarlyWarningSystem:
        """Resolve the rules: calibrate their thresholds and the score bands.

        Parameters
        ----------
        X : DataFrame
            One row per account with the rule columns (and `score_column`).
        y : array-like of 0/1, optional
            Later outcome (1 = bad); needed when a rule is calibrated or `bands` is
            not yet fitted.
        sample_weight : array-like of float, optional
            Weights for the calibration.

        Returns
        -------
        EarlyWarningSystem
            ``self``.
        """
        rules = self._check_params()
        cols = self._columns(rules)
        X = check_frame(X, owner=self, columns=cols)
        bands_fitted = self.bands is not None and hasattr(self.bands, "thresholds_")
        needs_y = any(r["calibrate"] is not None for r in rules) or (
            self.bands is not None and not bands_fitted
        )
        if needs_y and y is None:
            raise InputError(
                f"{_OWNER}.fit needs y (1 = bad) to calibrate the rule thresholds or "
                "the score bands. Pass y, or give fixed thresholds and fitted bands."
            )
        calibrators: dict[str, ThresholdCalibrator] = {}
        for r in rules:
            if r["calibrate"] is None:
                continue
            values = self._numeric(X, r["column"])
            keep = ~np.isnan(values)
            if self.missing == "error":
                self._no_missing(X, r["column"], keep)
            kw = dict(r["calibrate"])
            kw["higher_is_riskier"] = r["operator"] in (">", ">=")
            try:
                cal = ThresholdCalibrator(**kw)
            except TypeError as exc:
                raise InputError(
                    f"{_OWNER}: rule {r['name']!r} has calibrate arguments that "
                    f"ThresholdCalibrator does not take ({exc})."
                ) from None
            y_arr = np.asarray(y)[keep] if not isinstance(y, pd.Series) else y[keep]
            w = None if sample_weight is None else np.asarray(sample_weight)[keep]
            try:
                cal.fit(values[keep], y_arr, w)
            except InputError as exc:
                raise InputError(
                    f"{_OWNER}: calibrating rule {r['name']!r} on column "
                    f"{r['column']!r} failed: {exc}"
                ) from None
            calibrators[r["name"]] = cal
            r["threshold"] = float(cal.threshold_)
        if self.bands is None:
            self.bands_ = None
        elif bands_fitted and y is None:
            self.bands_ = from_nested_state(WarningBands, nested_state(self.bands))
        else:
            scores = X[self.score_column]
            self.bands_ = clone(self.bands).fit(scores, y, sample_weight)
        self.calibrators_ = calibrators
        self.rules_ = self._rules_frame(rules)
        meta_y = None if y is None else np.asarray(y, dtype=float)
        self.fit_metadata_ = fit_metadata(X[cols], meta_y, sample_weight, None)
        return self

    def _rules_frame(self, rules: list[dict[str, Any]]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "name": [r["name"] for r in rules],
                "column": [r["column"] for r in rules],
                "operator": [r["operator"] for r in rules],
                "threshold": pd.Series([r["threshold"] for r in rules], dtype=object),
                "severity": [r["severity"] for r in rules],
                "calibrated": [r["calibrate"] is not None for r in rules],
            },
            columns=[
                "name",
                "column",
                "operator",
                "threshold",
                "severity",
                "calibrated",
            ],
        )

    @staticmethod
    def _numeric(X: pd.DataFrame, column: str) -> np.ndarray:
        s = X[column]
        if s.dtype == bool:
            return s.to_numpy(dtype=float)
        if not pd.api.types.is_numeric_dtype(s.dtype):
            raise InputError(
                f"{_OWNER}: column {column!r} has dtype {s.dtype}, but its rule "
                f"compares it with a number. Convert it, e.g. pd.to_numeric(X"
                f"[{column!r}])."
            )
        return s.to_numpy(dtype=float, na_value=np.nan)

    def _no_missing(self, X: pd.DataFrame, column: str, present: np.ndarray) -> None:
        if not present.all():
            bad = ~present
            labels = format_labels(X.index[bad][:4], int(bad.sum()))
            raise InputError(
                f"{_OWNER}: column {column!r} has {int(bad.sum())} missing value(s) "
                f"(index labels {labels}). Fill them, or pass missing='no_alert' so "
                "that a rule does not fire on a missing value."
            )

    # -- evaluation -----------------------------------------------------------
    def fired(self, X: Any) -> pd.DataFrame:
        """Boolean table: which rule fires for which account (caller's index)."""
        check_fitted(self, "rules_")
        rules = self.rules_
        X = check_frame(X, owner=self, columns=self._columns(self._rule_dicts()))
        out: dict[str, np.ndarray] = {}
        for r in self._resolved():
            col = X[r["column"]]
            if r["operator"] in _ORDERING:
                values: Any = self._numeric(X, r["column"])
                present = ~np.isnan(values)
            else:
                present = ~col.isna().to_numpy()
                values = col.to_numpy()
            if self.missing == "error":
                self._no_missing(X, r["column"], present)
            with np.errstate(invalid="ignore"):
                hit = _compare(values, r["operator"], r["threshold"])
            out[r["name"]] = hit & present
        return pd.DataFrame(out, index=X.index, columns=list(rules["name"]), dtype=bool)

    def _resolved(self) -> list[dict[str, Any]]:
        return [
            {str(k): v for k, v in rec.items()}
            for rec in self.rules_.to_dict(orient="records")
        ]

    def _rule_dicts(self) -> list[dict[str, Any]]:
        return [{"column": c} for c in self.rules_["column"]]

    def evaluate(self, X: Any) -> pd.DataFrame:
        """Level and reasons for every account.

        Returns
        -------
        DataFrame
            Indexed like `X`: ``level`` (ordered categorical, the most severe of the
            fired rules and the score band), ``n_rules`` (how many rules fired,
            counting a score band above the base level as one) and ``rules`` (their
            names, comma-separated, in rule order; a score band shows as
            ``"score band <level>"``).
        """
        fired = self.fired(X)
        n = len(fired)
        levels = list(self.levels)
        rank = {name: i for i, name in enumerate(levels)}
        level = np.zeros(n, dtype=np.int64)
        reasons = np.full(n, "", dtype=object)
        count = np.zeros(n, dtype=np.int64)
        for r in self._resolved():
            mask = fired[r["name"]].to_numpy()
            level = np.where(mask, np.maximum(level, rank[r["severity"]]), level)
            reasons = np.where(mask, reasons + (", " + str(r["name"])), reasons)
            count += mask
        if self.bands_ is not None:
            X = check_frame(X, owner=self, columns=[str(self.score_column)])
            band = self.bands_.classify(X[self.score_column])
            codes = band.cat.codes.to_numpy()
            band_rank = np.array([rank[v] for v in band.cat.categories])[codes]
            raised = codes > 0
            level = np.where(raised, np.maximum(level, band_rank), level)
            labels = np.asarray(band.astype(str), dtype=object)
            reasons = np.where(raised, reasons + ", score band " + labels, reasons)
            count += raised
        text = pd.Series(reasons, index=fired.index, dtype=object).str[2:]
        dtype = pd.CategoricalDtype(levels, ordered=True)
        return pd.DataFrame(
            {
                "level": pd.Categorical.from_codes(level, dtype=dtype),
                "n_rules": count,
                "rules": text,
            },
            index=fired.index,
        )

    def alerts(self, X: Any) -> pd.DataFrame:
        """The accounts above the first level, most severe first (stable order)."""
        out = self.evaluate(X)
        out = out[out["level"].cat.codes > 0]
        order = np.argsort(-out["level"].cat.codes.to_numpy(), kind="stable")
        return out.iloc[order]

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {
            "thresholds": list(self.rules_["threshold"]),
            "calibrators": {k: nested_state(c) for k, c in self.calibrators_.items()},
            "bands": None if self.bands_ is None else nested_state(self.bands_),
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        rules = self._check_params()
        thresholds = list(state["thresholds"])
        if len(thresholds) != len(rules):
            raise ModelFormatError(
                "The EarlyWarningSystem's rules and fitted thresholds disagree in the "
                "model file."
            )
        for r, t in zip(rules, thresholds, strict=True):
            if r["calibrate"] is None and t != r["threshold"]:
                raise ModelFormatError(
                    f"The fixed threshold of rule {r['name']!r} differs between the "
                    "parameters and the fitted state in the model file."
                )
            r["threshold"] = t
        self.calibrators_ = {
            k: from_nested_state(ThresholdCalibrator, v)
            for k, v in state["calibrators"].items()
        }
        bands = state["bands"]
        self.bands_ = None if bands is None else from_nested_state(WarningBands, bands)
        self.rules_ = self._rules_frame(rules)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
