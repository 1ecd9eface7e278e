"""Spearman's rho between a reviewer's ranking and the grader's scores."""

import pytest

from tests.realworld.ranking import ranks, spearman


def test_ties_share_the_mean_of_their_ranks():
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert ranks([10, 20, 20, 30], descending=True) == [4, 2.5, 2.5, 1]


def test_scores_in_the_reviewers_order_agree_fully():
    assert spearman([1, 2, 3, 4], [90, 80, 70, 10]) == pytest.approx(1.0)


def test_scores_in_the_opposite_order_disagree_fully():
    assert spearman([1, 2, 3, 4], [10, 70, 80, 90]) == pytest.approx(-1.0)


def test_one_swap_of_neighbours_in_ten_costs_little():
    scores = [100, 90, 80, 70, 60, 50, 40, 30, 10, 20]

    assert spearman(list(range(1, 11)), scores) == pytest.approx(1 - 6 * 2 / (10 * 99))
