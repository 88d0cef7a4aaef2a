"""No count hidden on the public statistics page can be worked out from what is shown.

The reader knows the rule: a shown count exactly, "fewer than 3" is 1 or 2, a count "not
shown" is 3 or more when it is (they may guess as much) and at least 1 otherwise; each
total is its column's sum and each category's counts never grow from one step to the next.
A brute-force enumeration of every table consistent with that is the judge here, written
apart from the module's network: for every hidden count, more than one value must remain.
"""

import itertools
import random

import pytest

from casefiles.public.statistics import (
    Cell,
    Shown,
    exposed_cells,
    primary_suppression,
    statistics_protect,
)

E, S, H = Shown.EXACT, Shown.SMALL, Shown.HIDDEN


def reader_domain(value: int, shown: Shown, cap: int) -> range:
    if shown == E:
        return range(value, value + 1)
    if shown == S:
        return range(1, 3)
    return range(3 if value >= 3 else 1, cap + 1)


def consistent_values(rows, total, shown) -> dict[tuple[int, int], set[int]]:
    """Every value each count takes over all tables consistent with what is shown.

    Counts are capped at the largest true count plus one: if a count can take another value
    at all, it can do so with every count moving by at most one (and the cap only ever
    makes this judge stricter)."""
    width, height = len(total), len(rows)
    cap = max([*total, *itertools.chain(*rows), 0]) + 1
    options = []
    for r, row in enumerate(rows):
        domains = [reader_domain(row[c], shown[(r, c)], cap) for c in range(width)]
        options.append(
            [
                values
                for values in itertools.product(*domains)
                if all(a >= b for a, b in itertools.pairwise(values))
            ]
        )
    total_domains = [reader_domain(total[c], shown[(height, c)], cap) for c in range(width)]
    seen: dict[tuple[int, int], set[int]] = {cell: set() for cell in shown}
    for table in itertools.product(*options):
        sums = [sum(row[c] for row in table) for c in range(width)]
        if any(sums[c] not in total_domains[c] for c in range(width)):
            continue
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                seen[(r, c)].add(value)
        for c, value in enumerate(sums):
            seen[(height, c)].add(value)
    return seen


def pinned(rows, total, shown) -> list[tuple[int, int]]:
    """The counts not shown exactly that the brute force finds one value for."""
    values = consistent_values(rows, total, shown)
    return sorted(cell for cell, found in values.items() if shown[cell] != E and len(found) < 2)


def as_dict(rows, total, shown_rows, shown_total):
    shown = {(r, c): s for r, row in enumerate(shown_rows) for c, s in enumerate(row)}
    shown.update({(len(rows), c): s for c, s in enumerate(shown_total)})
    return shown


def protected(rows, total):
    return as_dict(rows, total, *statistics_protect(rows, total))


def totals(rows):
    return [sum(column) for column in zip(*rows, strict=True)]


def nested_rows(height: int, width: int, top: int):
    """Every table of ``height`` categories and ``width`` steps with counts up to ``top``."""
    row_options = [
        row
        for row in itertools.product(range(top + 1), repeat=width)
        if all(a >= b for a, b in itertools.pairwise(row))
    ]
    return itertools.product(row_options, repeat=height)


def random_nested_rows(rng: random.Random, height: int, width: int, top: int):
    rows = []
    for _ in range(height):
        value = rng.choice([0, 0, 1, 1, 2, 2, 3, 4, rng.randint(0, top)])
        row = []
        for _ in range(width):
            row.append(value)
            value = rng.randint(0, value)
        rows.append(row)
    return rows


# --- The judge finds what primary suppression alone gives away ------------------------------


def test_primary_suppression_alone_gives_away_three_small_counts_under_a_total_of_three():
    rows, total = [[1], [1], [1]], [3]
    shown = primary_suppression({(0, 0): 1, (1, 0): 1, (2, 0): 1, (3, 0): 3})
    assert [shown[(r, 0)] for r in range(4)] == [S, S, S, E]
    assert consistent_values(rows, total, shown)[(0, 0)] == {1}
    assert pinned(rows, total, shown) == [(0, 0), (1, 0), (2, 0)]
    assert exposed_cells(rows, total, shown) == [(0, 0), (1, 0), (2, 0)]


def test_primary_suppression_alone_gives_away_one_small_count_beside_shown_ones():
    # The statistics page of the lifecycle test: one graffiti incident beside nine others.
    rows, total = [[9, 8], [1, 1]], [10, 9]
    values = {(0, 0): 9, (0, 1): 8, (1, 0): 1, (1, 1): 1, (2, 0): 10, (2, 1): 9}
    shown = primary_suppression(values)
    assert pinned(rows, total, shown) == [(1, 0), (1, 1)]


# --- Secondary suppression protects every hidden count --------------------------------------


@pytest.mark.parametrize(
    ("height", "width", "top"),
    [
        (1, 1, 5),
        (2, 1, 5),
        (3, 1, 4),
        (4, 1, 3),
        (1, 2, 5),
        (2, 2, 4),
        (3, 2, 3),
        (4, 2, 2),
        (2, 3, 3),
        (3, 3, 2),
    ],
)
def test_no_hidden_count_can_be_pinned_down_in_any_small_table(height, width, top):
    checked = hidden_somewhere = 0
    for rows in nested_rows(height, width, top):
        rows = [list(row) for row in rows]
        total = totals(rows)
        shown = protected(rows, total)
        assert pinned(rows, total, shown) == [], (rows, total, shown)
        hidden_somewhere += H in shown.values()
        checked += 1
    assert checked >= 6
    # One category is its own total: nothing needs hiding. With more, something does.
    assert (hidden_somewhere > 0) == (height > 1)


def test_no_hidden_count_can_be_pinned_down_in_random_tables():
    rng = random.Random(20261129)
    checked = 0
    for _ in range(300):
        height, width = rng.choice([(3, 2), (4, 2), (2, 3), (3, 3), (5, 1)])
        rows = random_nested_rows(rng, height, width, top=6)
        total = totals(rows)
        shown = protected(rows, total)
        assert pinned(rows, total, shown) == [], (rows, total, shown)
        checked += 1
    assert checked == 300


def test_the_networks_verdict_is_the_brute_forces_for_any_way_of_showing():
    """``exposed_cells`` (used by the rule) against the judge, for arbitrary choices of what
    to show, not only the rule's: both must name the same counts."""
    rng = random.Random(7)
    disagreements, pinned_found = [], 0
    for _ in range(400):
        height, width = rng.choice([(2, 2), (3, 2), (2, 3), (3, 1), (1, 3)])
        rows = random_nested_rows(rng, height, width, top=5)
        total = totals(rows)
        values = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)}
        values.update({(height, c): v for c, v in enumerate(total)})
        shown = {}
        for cell, value in values.items():
            if value == 0:
                shown[cell] = E
            elif value < 3:
                shown[cell] = rng.choice([S, S, H])
            else:
                shown[cell] = rng.choice([E, E, H])
        expected = pinned(rows, total, shown)
        pinned_found += bool(expected)
        if exposed_cells(rows, total, shown) != expected:
            disagreements.append((rows, total, shown, expected))
    assert not disagreements, disagreements[:3]
    assert pinned_found > 20  # the comparison met many exposed counts, not only safe tables


@pytest.mark.parametrize("seed", range(40))
def test_full_size_tables_are_protected_and_only_small_or_needed_counts_are_hidden(seed):
    """Nine categories and five steps, as on the page (too large for the brute force)."""
    rng = random.Random(seed)
    rows = random_nested_rows(rng, 9, 5, top=rng.choice([3, 8, 40]))
    total = totals(rows)
    shown_rows, shown_total = statistics_protect(rows, total)
    shown = as_dict(rows, total, shown_rows, shown_total)
    assert exposed_cells(rows, total, shown) == []
    values = {(r, c): v for r, row in enumerate([*rows, total]) for c, v in enumerate(row)}
    for cell, value in values.items():
        if value == 0:
            assert shown[cell] == E  # zeros are always shown
        elif value < 3:
            assert shown[cell] in (S, H)  # small counts are never shown as numbers
        else:
            assert shown[cell] in (E, H)


def test_tables_without_exposed_small_counts_are_shown_as_they_are():
    assert statistics_protect([[5, 4], [3, 3]], [8, 7]) == ([[E, E], [E, E]], [E, E])
    assert statistics_protect([[0, 0], [0, 0]], [0, 0]) == ([[E, E], [E, E]], [E, E])
    # One small count whose column total is small too: both stay "fewer than 3", because
    # 1 and 2 both fit (the category holds the whole column).
    assert statistics_protect([[9, 1], [4, 0]], [13, 1]) == ([[E, S], [E, E]], [E, S])


def test_the_smallest_shown_count_of_the_column_is_hidden_to_protect_a_small_one():
    rows, total = [[9], [4], [1]], [14]
    assert statistics_protect(rows, total) == ([[E], [H], [S]], [E])


def test_small_counts_that_fill_a_small_total_have_the_total_hidden():
    # 1 + 1 = 2: with the total shown as "fewer than 3", both counts would be 1.
    rows, total = [[1], [1], [0]], [2]
    assert statistics_protect(rows, total) == ([[S], [S], [E]], [H])


def test_a_table_that_does_not_add_up_or_grows_along_the_steps_is_refused():
    with pytest.raises(ValueError, match="add up"):
        statistics_protect([[3, 1]], [4, 1])
    with pytest.raises(ValueError, match="cannot exceed"):
        statistics_protect([[1, 3]], [1, 3])


def test_cells_read_as_the_public_sees_them():
    assert [Cell(0, E).text, Cell(7, E).text] == ["0", "7"]
    assert Cell(2, S).text == "fewer than 3"
    assert Cell(5, H).text == "not shown"
