"""Rank correlation, as a reviewer's ranking and a grader's scores are compared.

Spearman's rho is Pearson's correlation of the two rankings; tied values share the mean of the
ranks they span, so a tie costs agreement only as much as it should.
"""

from collections.abc import Sequence


def ranks(values: Sequence[float], *, descending: bool = False) -> list[float]:
    """The rank of each value (1 for the smallest, or the largest when ``descending``)."""
    order = sorted(range(len(values)), key=lambda i: -values[i] if descending else values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    spread_x = sum((x - mean_x) ** 2 for x in xs) ** 0.5
    spread_y = sum((y - mean_y) ** 2 for y in ys) ** 0.5
    return covariance / (spread_x * spread_y)


def spearman(reviewer_ranks: Sequence[int], scores: Sequence[float]) -> float:
    """Agreement of a ranking (1 is best) with scores (higher is better), from -1 to 1."""
    return pearson(ranks(reviewer_ranks), ranks(scores, descending=True))
