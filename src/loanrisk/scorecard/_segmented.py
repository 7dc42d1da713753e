"""SegmentedScorecard: one points scorecard per segment, on one common points scale."""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from loanrisk._checks import (
    check_fitted,
    check_frame,
    check_number,
    check_option,
    format_labels,
)
from loanrisk._persist import fit_metadata, model_class
from loanrisk._summary import Summary
from loanrisk.errors import InputError, LoanRiskWarning, ModelFormatError
from loanrisk.scorecard._base import PointsScorecardBase, ScorecardBase

__all__ = ["SegmentedScorecard"]

_VECTORS_PER_SEGMENT = 8


def _plain(value: Any) -> Any:
    """A segment value as a plain Python scalar (str, int, float or bool)."""
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


class SegmentedScorecard(ScorecardBase):
    """One points scorecard per segment (e.g. loan purpose), on one points scale.

    Each segment gets its own scorecard, a clone of `base` fitted on the segment's
    rows; all of them share ``pdo``, ``base_score`` and ``base_odds``, so the same
    number of points means the same probability of default in every segment and
    scores, cut-offs and PDs compare across segments.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    segment : str
        Column of X whose value chooses the segment. It stays available to the
        segment scorecards as a feature (a segment of one value drops it as
        constant), except to the fallback scorecard of ``unseen_segment="other"``.
    segment_map : mapping, optional
        Segment name (text) of each value of the `segment` column, to group values
        into segments, e.g. ``{"car (new)": "car", "car (used)": "car", ...}``. By
        default every value is its own segment, named ``str(value)``. Every value
        met in training must be mapped. Numeric keys are saved as ``[key, value]``
        pairs by :func:`loanrisk.save`.
    base : ApplicationScorecard, optional
        Scorecard cloned for each segment (its binning, selection and regression
        options); default ``ApplicationScorecard()``. Its own ``pdo``,
        ``base_score``, ``base_odds`` and ``cutoff`` are replaced by this model's.
    min_segment_size : int, default 200
        Segments with fewer training rows, or with only goods or only bads, are
        *small*.
    small_segments : {"error", "other"}, default "error"
        Small segments raise an :class:`~loanrisk.errors.InputError` naming them,
        or are pooled into the segment `other_segment` (together with the segment
        of that name, if there is one).
    unseen_segment : {"error", "other"}, default "error"
        A value of the `segment` column not met in training (and not in
        `segment_map`) raises at scoring time, or is scored by the `other_segment`
        scorecard. With "other" and no small segment, that fallback scorecard is
        fitted on all training rows; with "other", the fallback scorecard does not
        use the `segment` column as a feature (it must score values it never saw).
    other_segment : str, default "other"
        Name of the pooled / fallback segment.
    pdo, base_score, base_odds : float, default 20, 600, 50
        The common points scale (see :class:`~loanrisk.scorecard.PointsScale`).
    cutoff : float or None, default None
        Score below which :meth:`predict` says bad; None: the score at which
        P(bad) = 0.5.

    Attributes
    ----------
    segments_ : dict of str to ApplicationScorecard
        The fitted scorecard of each segment, in a stable order (sorted by name,
        the `other_segment` last).
    segment_values_ : dict of str to list
        Values of the `segment` column that each segment scores (the fallback
        segment of ``unseen_segment="other"`` also scores every other value).
    segment_table_ : DataFrame
        Per segment: its values, training rows, bads, bad rate and features.
    table_ : DataFrame
        The segments' scorecard tables, stacked, with a ``segment`` column first.
    scale_ : PointsScale
        The common points scale.
    test_vectors_ : dict
        Input rows (with their segment) and expected scores, checked by
        :func:`loanrisk.load`.

    Notes
    -----
    A row of segment s scores ``score = sum_j points_sj(bin_sj(x_j))``: the points
    of segment s's scorecard only. Every segment scorecard maps its log-odds of good
    to points by ``score = offset + factor * ln(odds_good)`` with ``factor = pdo /
    ln 2`` and ``offset = base_score - factor * ln(base_odds)``, so the PD implied
    by a score, ``1 / (1 + exp((score - offset) / factor))``, is the same in every
    segment. A missing segment value is an error (fill it with a category of its
    own); SQL gives such rows a NULL score.

    Examples
    --------
    >>> import loanrisk
    >>> from loanrisk.scorecard._segmented import SegmentedScorecard
    >>> X, y = loanrisk.datasets.load_german_credit(return_X_y=True)
    >>> cars = {"car (new)": "car", "car (used)": "car"}
    >>> groups = {v: cars.get(v, "other") for v in X["purpose"].cat.categories}
    >>> base = loanrisk.ApplicationScorecard(wrong_sign="drop")
    >>> card = SegmentedScorecard("purpose", segment_map=groups, base=base).fit(X, y)
    >>> list(card.segments_)
    ['car', 'other']
    >>> s = card.score(X.head(3))
    >>> bool(s.iloc[0] == card.segments_["other"].score(X.head(1)).iloc[0])
    True
    """

    _fitted_attribute = "segments_"
    _altered = "segments, bins or points"

    def __init__(
        self,
        segment: str,
        *,
        segment_map: Mapping[Any, str] | None = None,
        base: PointsScorecardBase | None = None,
        min_segment_size: int = 200,
        small_segments: str = "error",
        unseen_segment: str = "error",
        other_segment: str = "other",
        pdo: float = 20,
        base_score: float = 600,
        base_odds: float = 50,
        cutoff: float | None = None,
    ) -> None:
        self.segment = segment
        self.segment_map = segment_map
        self.base = base
        self.min_segment_size = min_segment_size
        self.small_segments = small_segments
        self.unseen_segment = unseen_segment
        self.other_segment = other_segment
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.cutoff = cutoff

    # -- parameters -----------------------------------------------------------
    def _check_params(self) -> None:
        if not isinstance(self.segment, str) or not self.segment:
            raise InputError(
                "The 'segment' parameter of SegmentedScorecard must be the name of "
                f"the segment column (text). Got {self.segment!r}."
            )
        if self.segment_map is not None:
            if not isinstance(self.segment_map, Mapping):
                raise InputError(
                    "The 'segment_map' parameter of SegmentedScorecard must be a "
                    "dict of column value -> segment name, or None. Got "
                    f"{type(self.segment_map).__name__}."
                )
            bad = [
                k
                for k, v in self.segment_map.items()
                if not isinstance(v, str) or not v
            ]
            if bad:
                raise InputError(
                    "The 'segment_map' parameter of SegmentedScorecard must map each "
                    f"value to a segment name (non-empty text); the value(s) {bad} "
                    "are not."
                )
        if self.base is not None and not (
            isinstance(self.base, PointsScorecardBase)
            and {"pdo", "base_score", "base_odds", "cutoff"}
            <= set(self.base.get_params(deep=False))
        ):
            raise InputError(
                "The 'base' parameter of SegmentedScorecard must be an unfitted "
                "points scorecard such as ApplicationScorecard(...), or None. Got "
                f"{type(self.base).__name__}."
            )
        check_number(
            self.min_segment_size, "min_segment_size", self, low=1, integer=True
        )
        check_option(self.small_segments, "small_segments", self, ("error", "other"))
        check_option(self.unseen_segment, "unseen_segment", self, ("error", "other"))
        if not isinstance(self.other_segment, str) or not self.other_segment:
            raise InputError(
                "The 'other_segment' parameter of SegmentedScorecard must be a "
                f"non-empty segment name. Got {self.other_segment!r}."
            )
        check_number(self.cutoff, "cutoff", self, allow_none=True)

    # -- fit ------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SegmentedScorecard:
        """Fit one scorecard per segment on the common points scale.

        Parameters
        ----------
        X : DataFrame
            Applicants' features, including the `segment` column.
        y : array-like
            1 = bad, 0 = good.
        sample_weight : array-like, optional
            Non-negative weight per row, passed to each segment's fit.

        Returns
        -------
        SegmentedScorecard
            The fitted model.
        """
        from loanrisk.scorecard._logistic import ApplicationScorecard

        self._check_params()
        scale = self._scale()
        X, yv, w = self._check_fit_input(X, y, sample_weight)
        if self.segment not in X.columns:
            raise InputError(
                f"SegmentedScorecard: the segment column {self.segment!r} is not in X "
                f"(columns {[str(c) for c in X.columns][:10]}). Pass segment= one of "
                "X's columns."
            )
        raw = self._fit_values(X)
        names, values = self._group(raw)
        keys = pd.Index([v for n in names for v in values[n]], dtype=object)
        owner = np.asarray(
            [k for k, n in enumerate(names) for _ in values[n]], dtype=np.int64
        )
        which = owner[keys.get_indexer(raw)]
        rows = {n: np.flatnonzero(which == k) for k, n in enumerate(names)}
        names, values, rows, pooled = self._handle_small(names, values, rows, yv)

        base = self.base if self.base is not None else ApplicationScorecard()
        cards: dict[str, PointsScorecardBase] = {}
        for name in names:
            card = clone(base).set_params(
                pdo=self.pdo,
                base_score=self.base_score,
                base_odds=self.base_odds,
                cutoff=self.cutoff,
            )
            pos = rows[name]
            Xs = X.iloc[pos]
            if name == self.other_segment and self.unseen_segment == "other":
                Xs = Xs.drop(columns=[self.segment])
            cards[name] = self._fit_segment(card, name, Xs, yv[pos], w[pos])

        self.segments_ = cards
        self.segment_values_ = {n: list(values[n]) for n in names}
        self.scale_ = scale
        self.classes_ = np.asarray([0, 1])
        self.feature_names_in_ = np.asarray([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = X.shape[1]
        self._pooled = pooled
        self._build_lookup()
        self.segment_table_ = self._segment_table(
            {n: (len(rows[n]), int(yv[rows[n]].sum())) for n in names}
        )
        self.table_ = self._table()
        self.test_vectors_ = self._make_test_vectors()
        self.fit_metadata_ = fit_metadata(X, yv, sample_weight, None)
        return self

    def _fit_values(self, X: pd.DataFrame) -> np.ndarray:
        col = X[self.segment]
        missing = col.isna().to_numpy()
        if missing.any():
            n = int(missing.sum())
            raise InputError(
                f"The segment column {self.segment!r} has {n} missing value(s) (index "
                f"labels {format_labels(X.index[missing][:4], n)}). SegmentedScorecard "
                "needs a segment for every row: fill them with a category of their "
                f"own, e.g. X[{self.segment!r}].cat.add_categories('unknown')"
                ".fillna('unknown')."
            )
        raw = np.asarray(
            [_plain(v) for v in col.astype(object).to_numpy()], dtype=object
        )
        odd = [v for v in pd.unique(raw) if not isinstance(v, str | numbers.Real)]
        if odd:
            raise InputError(
                f"The segment column {self.segment!r} holds values of type "
                f"{type(odd[0]).__name__} (e.g. {odd[0]!r}). Segment values must be "
                "text or numbers: convert the column first."
            )
        return raw

    def _group(self, raw: np.ndarray) -> tuple[list[str], dict[str, list[Any]]]:
        uniq = list(pd.unique(raw))
        values: dict[str, list[Any]] = {}
        if self.segment_map is None:
            for v in uniq:
                values.setdefault(str(v), []).append(v)
            clash = [n for n, vs in values.items() if len(vs) > 1]
            if clash:
                raise InputError(
                    f"The segment column {self.segment!r} has distinct values that "
                    f"read the same as text ({clash}). Name the segments with "
                    "segment_map."
                )
            return sorted(values), values
        mapping = {_plain(k): v for k, v in self.segment_map.items()}
        unmapped = [v for v in uniq if v not in mapping]
        if unmapped:
            raise InputError(
                f"The segment column {self.segment!r} has value(s) "
                f"{sorted(map(str, unmapped))[:10]} missing from segment_map. Map "
                "every value to a segment name."
            )
        for k, name in mapping.items():
            values.setdefault(name, []).append(k)
        return sorted(values), values

    def _handle_small(
        self,
        names: list[str],
        values: dict[str, list[Any]],
        rows: dict[str, np.ndarray],
        y: np.ndarray,
    ) -> tuple[list[str], dict[str, list[Any]], dict[str, np.ndarray], bool]:
        def is_small(pos: np.ndarray) -> bool:
            n_bad = int(y[pos].sum())
            return len(pos) < self.min_segment_size or n_bad in (0, len(pos))

        def describe(name: str) -> str:
            pos = rows[name]
            n_bad = int(y[pos].sum())
            what = f"{len(pos)} rows"
            if len(pos) and n_bad == 0:
                what += ", no bads"
            elif len(pos) and n_bad == len(pos):
                what += ", no goods"
            return f"{name!r} ({what})"

        small = [n for n in names if is_small(rows[n])]
        other = self.other_segment
        pooled = False
        if small and self.small_segments == "error":
            raise InputError(
                f"SegmentedScorecard: segment(s) {', '.join(map(describe, small))} "
                f"have fewer than min_segment_size={self.min_segment_size} rows or "
                "a single class. Merge them into larger segments with segment_map, "
                "lower min_segment_size, or pass small_segments='other' to pool them "
                f"into one {other!r} segment."
            )
        if small:
            pool = [
                *small,
                *([other] if other in values and other not in small else []),
            ]
            new_values = [v for n in pool for v in values[n]]
            new_rows = np.sort(np.concatenate([rows[n] for n in pool]))
            keep = [n for n in names if n not in small and n != other]
            values = {n: values[n] for n in keep}
            rows = {n: rows[n] for n in keep}
            values[other] = list(dict.fromkeys(new_values))
            rows[other] = new_rows
            if is_small(new_rows):
                raise InputError(
                    f"SegmentedScorecard: the pooled segment {describe(other)} made "
                    f"of {sorted(small)} is still below min_segment_size="
                    f"{self.min_segment_size} rows or holds a single class. Group "
                    "the segments differently with segment_map, or lower "
                    "min_segment_size."
                )
            names = [*keep, other]
        elif self.unseen_segment == "other":
            if other in values:
                names = [n for n in names if n != other] + [other]
            else:
                pooled = True
                values[other] = []
                rows[other] = np.arange(len(y))
                names = [*names, other]
        return names, values, rows, pooled

    def _fit_segment(
        self,
        card: PointsScorecardBase,
        name: str,
        X: pd.DataFrame,
        y: np.ndarray,
        w: np.ndarray,
    ) -> PointsScorecardBase:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LoanRiskWarning)
            try:
                card.fit(X, y, sample_weight=w)
            except InputError as exc:
                raise InputError(
                    f"Segment {name!r} of SegmentedScorecard: {exc}"
                ) from exc
        for item in caught:
            if issubclass(item.category, LoanRiskWarning):
                warnings.warn(
                    f"Segment {name!r}: {item.message}", item.category, stacklevel=3
                )
            else:
                warnings.warn_explicit(
                    item.message, item.category, item.filename, item.lineno
                )
        return card

    def _build_lookup(self) -> None:
        self._names = list(self.segments_)
        self._lookup: dict[Any, int] = {}
        for code, name in enumerate(self._names):
            for v in self.segment_values_[name]:
                self._lookup[v] = code
        self._keys = pd.Index(list(self._lookup), dtype=object)
        self._codes = np.fromiter(
            self._lookup.values(), dtype=np.int64, count=len(self._lookup)
        )
        self._fallback = (
            self._names.index(self.other_segment)
            if self.unseen_segment == "other"
            else -1
        )
        features: dict[str, None] = {}
        for card in self.segments_.values():
            features.update(dict.fromkeys(card.engine_.features))
        self._features = list(features)

    # -- segments -------------------------------------------------------------
    def _frame(self, X: Any) -> pd.DataFrame:
        check_fitted(self, "segments_")
        columns = list(dict.fromkeys([self.segment, *self._features]))
        return check_frame(X, owner=self, columns=columns)

    def _input_kinds(self) -> dict[str, tuple[str, list[Any]]]:
        """The segment column and every segment card's features (see the base)."""
        check_fitted(self, "segments_")
        values = [v for vals in self.segment_values_.values() for v in vals]
        numeric = bool(values) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        )
        out: dict[str, tuple[str, list[Any]]] = {
            self.segment: ("numerical", []) if numeric else ("categorical", values)
        }
        for card in self.segments_.values():
            out.update(card._input_kinds())
        return out

    def _segment_codes(self, X: pd.DataFrame) -> np.ndarray:
        col = X[self.segment]
        missing = col.isna().to_numpy()
        if missing.any():
            n = int(missing.sum())
            raise InputError(
                f"The segment column {self.segment!r} has {n} missing value(s) (index "
                f"labels {format_labels(X.index[missing][:4], n)}). SegmentedScorecard "
                "needs a segment for every row: fill them with a known segment value."
            )
        if isinstance(col.dtype, pd.CategoricalDtype):
            # look up the few categories, then take by the integer category codes
            cat_pos = self._keys.get_indexer(col.cat.categories.astype(object))
            cat_codes = np.where(cat_pos >= 0, self._codes[np.maximum(cat_pos, 0)], -1)
            codes = cat_codes[col.cat.codes.to_numpy()]
        else:
            pos = self._keys.get_indexer(col.astype(object).to_numpy())
            codes = np.where(pos >= 0, self._codes[np.maximum(pos, 0)], -1)
        unknown = codes < 0
        if unknown.any():
            if self._fallback >= 0:
                codes[unknown] = self._fallback
            else:
                n = int(unknown.sum())
                examples = sorted({str(v) for v in col[unknown].iloc[:20]})[:5]
                raise InputError(
                    f"The segment column {self.segment!r} has {n} value(s) not seen "
                    f"when the model was fitted (index labels "
                    f"{format_labels(X.index[unknown][:4], n)}; values {examples}). "
                    f"Known values: {sorted(map(str, self._lookup))[:20]}. Map them "
                    "to a known segment value, or fit with unseen_segment='other'."
                )
        return codes.astype(np.int64)

    def _segment_of_value(self, value: Any) -> int:
        if _is_missing(value):
            raise InputError(
                f"The record's segment field {self.segment!r} is missing. "
                "SegmentedScorecard needs a segment for every record."
            )
        try:
            code = self._lookup.get(_plain(value))
        except TypeError:
            code = None
        if code is None:
            if self._fallback >= 0:
                return self._fallback
            raise InputError(
                f"The record's segment field {self.segment!r} has the value "
                f"{value!r}, not seen when the model was fitted. Known values: "
                f"{sorted(map(str, self._lookup))[:20]}."
            )
        return code

    def segment_of(self, X: Any) -> pd.Series:
        """Name of the segment (and scorecard) that scores each row, on X's index."""
        frame = self._frame(X)
        codes = self._segment_codes(frame)
        names = np.asarray(self._names, dtype=object)
        return pd.Series(names[codes], index=frame.index, name="segment")

    def _groups(self, X: pd.DataFrame) -> list[tuple[PointsScorecardBase, np.ndarray]]:
        codes = self._segment_codes(X)
        out = []
        for k, name in enumerate(self._names):
            pos = np.flatnonzero(codes == k)
            if pos.size:
                out.append((self.segments_[name], pos))
        return out

    def _score_frame(self, X: pd.DataFrame) -> np.ndarray:
        total = np.zeros(X.shape[0], dtype=np.int64)
        for card, pos in self._groups(X):
            total[pos] = card.engine_.total(self._rows(X, card, pos))
        return total

    @staticmethod
    def _rows(X: pd.DataFrame, card: PointsScorecardBase, pos: np.ndarray) -> Any:
        """The rows ``pos`` of X, restricted to the card's features (all rows: X)."""
        if len(pos) == X.shape[0]:
            return X
        return X[card.engine_.features].iloc[pos]

    # -- scoring --------------------------------------------------------------
    def score_record(self, record: Mapping[str, Any]) -> int:
        """Points of one applicant given as a mapping of column name to value."""
        self._check_record(record)
        try:
            value = record[self.segment]
        except KeyError:
            raise InputError(
                f"The record is missing the segment field {self.segment!r}."
            ) from None
        card = self.segments_[self._names[self._segment_of_value(value)]]
        return card.engine_.total_one(record)

    def points(self, X: Any) -> pd.DataFrame:
        """Points of each feature per row; 0 for features not in the row's segment.

        The columns are every feature of any segment's scorecard; each row sums to
        its score.
        """
        frame = self._frame(X)
        out = np.zeros((frame.shape[0], len(self._features)), dtype=np.int64)
        where = {f: j for j, f in enumerate(self._features)}
        for card, pos in self._groups(frame):
            cols = np.asarray([where[f] for f in card.engine_.features], dtype=np.int64)
            out[np.ix_(pos, cols)] = card.engine_.points_matrix(
                self._rows(frame, card, pos)
            )
        return pd.DataFrame(out, index=frame.index, columns=self._features)

    def reasons(self, X: Any, n: int = 4) -> pd.DataFrame:
        """Reason codes from each row's segment scorecard.

        As :meth:`ApplicationScorecard.reasons`: per row the ``n`` features of its
        segment's scorecard that cost most points against their best bin.
        """
        check_number(n, "n", "reasons", low=1, integer=True)
        frame = self._frame(X)
        m = frame.shape[0]
        cols: dict[str, np.ndarray] = {}
        for r in range(1, n + 1):
            cols[f"reason_{r}"] = np.full(m, None, dtype=object)
            cols[f"reason_{r}_bin"] = np.full(m, None, dtype=object)
            cols[f"reason_{r}_points_lost"] = np.zeros(m, dtype=np.int64)
        for card, pos in self._groups(frame):
            part = card.reasons(frame.iloc[pos], n=n)
            for c in cols:
                cols[c][pos] = part[c].to_numpy()
        return pd.DataFrame(cols, index=frame.index)

    def to_sql(self, table: str, dialect: str = "duckdb") -> str:
        """One SELECT scoring every row with its segment's scorecard, in SQL.

        Parameters
        ----------
        table : str
            Table (or view, or sub-query in parentheses) holding the features.
        dialect : {"duckdb", "postgres", "spark", "ansi"}
            SQL dialect.

        Returns
        -------
        str
            ``SELECT src.*, <segment> AS score_segment, <score> AS score FROM
            table``: a CASE on the segment column picks the sum of the segment's
            feature CASE expressions. A missing segment value gives NULL; an unseen
            one NULL, or the `other_segment` score with ``unseen_segment="other"``.
        """
        from loanrisk.scorecard._sql import (
            DIALECTS,
            _ident,
            _literal,
            feature_case,
        )

        check_fitted(self, "segments_")
        check_option(dialect, "dialect", "to_sql", DIALECTS)
        if not isinstance(table, str) or not table.strip():
            raise InputError(
                "to_sql needs the table name (or a sub-query in parentheses) as "
                f"text; got {table!r}."
            )
        col = _ident(self.segment, dialect)
        seg_lines = [f"CASE WHEN {col} IS NULL THEN NULL"]
        score_lines = [f"CASE WHEN {col} IS NULL THEN NULL"]
        fallback_label = fallback_score = "NULL"
        for name, card in self.segments_.items():
            engine = card.engine_
            terms = [
                "(" + feature_case(engine, f, dialect).replace("\n", "\n      ") + ")"
                for f in engine.features
            ]
            total = "\n      + ".join(terms) if terms else "0"
            label = _literal(name, dialect)
            if self._fallback >= 0 and name == self._names[self._fallback]:
                fallback_label, fallback_score = label, total
            vals = self.segment_values_[name]
            if not vals:
                continue
            cond = f"{col} IN ({', '.join(_literal(v, dialect) for v in vals)})"
            seg_lines.append(f"  WHEN {cond} THEN {label}")
            score_lines.append(f"  WHEN {cond} THEN\n      {total}")
        seg_lines.append(f"  ELSE {fallback_label} END")
        score_lines.append(f"  ELSE {fallback_score} END")
        seg_sql = "\n    ".join(seg_lines)
        score_sql = "\n    ".join(score_lines)
        return (
            f"SELECT src.*,\n    {seg_sql} AS {_ident('score_segment', dialect)},\n"
            f"    {score_sql} AS {_ident('score', dialect)}\nFROM {table} AS src"
        )

    # -- reporting ------------------------------------------------------------
    def _segment_table(self, counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
        rows = []
        for name, card in self.segments_.items():
            n_rows, n_bad = counts[name]
            vals = self.segment_values_[name]
            rows.append(
                {
                    "segment": name,
                    "values": ", ".join(map(str, vals))
                    if vals
                    else "(all rows: fallback)",
                    "n_rows": n_rows,
                    "n_bad": n_bad,
                    "bad_rate": n_bad / n_rows if n_rows else float("nan"),
                    "n_features": len(card.engine_.features),
                }
            )
        return pd.DataFrame(rows).set_index("segment")

    def _table(self) -> pd.DataFrame:
        parts = []
        for name, card in self.segments_.items():
            t = getattr(card, "table_", None)
            if t is None:
                continue
            parts.append(t.assign(segment=name)[["segment", *t.columns]])
        out: pd.DataFrame = pd.concat(parts, ignore_index=True)
        return out

    def summary_frame(self) -> pd.DataFrame:
        """Per segment: values, training rows, bads, bad rate and feature count."""
        check_fitted(self, "segments_")
        return self.segment_table_.copy()

    def summary(self) -> Summary:
        """Readable summary: the common scale, the segments and their coefficients."""
        check_fitted(self, "segments_")
        meta = getattr(self, "fit_metadata_", {})
        coefs = {}
        for name, card in self.segments_.items():
            feats = list(card.engine_.features)
            coef = getattr(card, "coef_", None)
            coefs[name] = pd.Series(
                np.asarray(coef)[0] if coef is not None else np.nan,
                index=feats,
                dtype=float,
            )
        coef_table = pd.DataFrame(coefs).reindex(self._features)
        coef_table.index.name = "feature"
        facts: dict[str, object] = {
            "Rows": meta.get("n_rows", "?"),
            "Segment column": self.segment,
            "Segments": len(self.segments_),
            "Unseen segment values": "error"
            if self._fallback < 0
            else f"scored by {self.other_segment!r}",
            "Scale": f"{self.base_score:g} points at odds {self.base_odds:g}:1, "
            f"{self.pdo:g} points to double the odds (all segments)",
            "Data fingerprint": meta.get("data_fingerprint", "?"),
        }
        notes = []
        if self._pooled:
            notes.append(
                f"The fallback segment {self.other_segment!r} is fitted on all "
                "training rows."
            )
        return Summary(
            title="SegmentedScorecard",
            facts=facts,
            tables={
                "Segments": self.segment_table_,
                "Coefficients on WoE by segment (blank: not selected)": coef_table,
            },
            notes=notes,
        )

    # -- test vectors ---------------------------------------------------------
    def _kinds(self) -> dict[str, str]:
        kinds: dict[str, str] = {}
        for card in self.segments_.values():
            for f, b in card.engine_.bins.items():
                kinds.setdefault(f, b.kind)
        return kinds

    def _make_test_vectors(self) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        for name, card in self.segments_.items():
            vals = self.segment_values_[name]
            if not vals:
                continue
            inner = card.engine_.test_vectors()[:_VECTORS_PER_SEGMENT]
            for i, r in enumerate(inner):
                row: dict[str, Any] = dict.fromkeys(self._features)
                row.update(r)
                row[self.segment] = vals[i % len(vals)]
                rows.append(row)
        frame = self._vectors_frame(rows)
        return {
            "inputs": rows,
            "expected_score": [int(v) for v in self._score_frame(frame)],
        }

    def _vectors_frame(self, rows: list[dict[str, Any]]) -> pd.DataFrame:
        kinds = self._kinds()
        data: dict[str, Any] = {}
        for f in dict.fromkeys([self.segment, *self._features]):
            col = [r.get(f) for r in rows]
            if kinds.get(f) == "numerical":
                data[f] = pd.array(
                    [np.nan if v is None else float(v) for v in col], dtype="float64"
                )
            else:
                data[f] = pd.Series(col, dtype=object)
        return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))

    # -- persistence ----------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        segments = []
        for name, card in self.segments_.items():
            segments.append(
                {
                    "name": name,
                    "values": list(self.segment_values_[name]),
                    "model_class": type(card).__name__,
                    "params": card.get_params(deep=False),
                    "fitted": card._get_state(),
                    "metadata": getattr(card, "fit_metadata_", {}),
                }
            )
        table = self.segment_table_
        return {
            "segments": segments,
            "pooled": self._pooled,
            "segment_table": {
                "n_rows": [int(v) for v in table["n_rows"]],
                "n_bad": [int(v) for v in table["n_bad"]],
            },
            "feature_names_in": [str(c) for c in self.feature_names_in_],
            "test_vectors": self.test_vectors_,
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        self._check_params()
        self.scale_ = self._scale()
        cards: dict[str, PointsScorecardBase] = {}
        values: dict[str, list[Any]] = {}
        for s in state["segments"]:
            cls = model_class(s["model_class"])
            if not issubclass(cls, PointsScorecardBase):
                raise ModelFormatError(
                    f"Segment {s['name']!r} of the model file holds a "
                    f"{s['model_class']}, not a points scorecard."
                )
            card = cls(**s["params"])
            card._set_state(s["fitted"])
            setattr(card, "fit_metadata_", s["metadata"])  # noqa: B010
            card._verify_loaded()
            if card.scale_ != self.scale_:
                raise ModelFormatError(
                    f"Segment {s['name']!r} of the model file is not on the common "
                    f"points scale ({card.scale_} vs {self.scale_})."
                )
            cards[str(s["name"])] = card
            values[str(s["name"])] = list(s["values"])
        if not cards:
            raise ModelFormatError("The model file holds no segment.")
        if self.unseen_segment == "other" and self.other_segment not in cards:
            raise ModelFormatError(
                f"The model file has no fallback segment {self.other_segment!r}."
            )
        self.segments_ = cards
        self.segment_values_ = values
        self._pooled = bool(state["pooled"])
        self.classes_ = np.asarray([0, 1])
        self.feature_names_in_ = np.asarray(state["feature_names_in"], dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self._build_lookup()
        t = state["segment_table"]
        self.segment_table_ = self._segment_table(
            {
                n: (int(a), int(b))
                for n, a, b in zip(cards, t["n_rows"], t["n_bad"], strict=True)
            }
        )
        self.table_ = self._table()
        self.test_vectors_ = state["test_vectors"]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags
