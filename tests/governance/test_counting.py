"""The Schulze count on published examples, its tie-break and the affiliation cap."""

from dataclasses import dataclass

from governance.elections.counting import count, lot, schulze_levels

# Wikipedia, "Schulze method", the example: 45 voters, 5 candidates.
WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def ballots(groups):
    return [[[letter] for letter in order] for number, order in groups for _ in range(number)]


def test_the_schulze_reference_example_ranks_e_a_c_b_d():
    levels, matrix = schulze_levels(ballots(WIKIPEDIA), list("ABCDE"))

    assert levels == [["E"], ["A"], ["C"], ["B"], ["D"]]
    # The page's matrix of pairwise preferences d[X, Y].
    assert [matrix["A", other] for other in "BCDE"] == [20, 26, 30, 22]
    assert [matrix["B", other] for other in "ACDE"] == [25, 16, 33, 18]
    assert [matrix["E", other] for other in "ABCD"] == [23, 27, 21, 31]
    assert matrix["A", "B"] + matrix["B", "A"] == 45


@dataclass(frozen=True)
class Person:
    handle: str
    company: str = ""


def run(groups, people, *, seats, cap=None, slug="steering-2026"):
    return count(
        ballots=ballots(groups),
        candidates=people,
        key=lambda p: p.handle[0].upper(),
        handle=lambda p: p.handle,
        affiliation=lambda p: p.company,
        election_slug=slug,
        seats=seats,
        cap=cap,
    )


def test_a_tie_is_broken_by_the_published_lot():
    ada, bo = Person("ada"), Person("bo")
    outcome = run([(1, "AB"), (1, "BA")], [ada, bo], seats=1)

    assert [placed.level for placed in outcome.order] == [1, 1]
    assert all(placed.by_lot for placed in outcome.order)
    first = min([ada, bo], key=lambda p: lot("steering-2026", p.handle))
    assert outcome.winners == [first]
    # The lot is the digest of the election and the handle: another election, maybe another.
    assert lot("steering-2026", "Ada") == lot("steering-2026", "ada")
    assert lot("steering-2026", "ada") != lot("steering-2027", "ada")


def test_unranked_candidates_tie_below_the_ranked():
    levels, matrix = schulze_levels([[["A"]], [["A"], ["B"]]], ["A", "B", "C"])
    assert levels == [["A"], ["B"], ["C"]]
    assert (matrix["B", "C"], matrix["C", "B"]) == (1, 0)


def test_the_affiliation_cap_gives_the_seat_to_the_next_ranked():
    people = [
        Person(name, company)
        for name, company in [
            ("ed", "Acme"),
            ("al", "Acme"),
            ("cy", "Initech"),
            ("bea", ""),
            ("dan", "x"),
        ]
    ]
    outcome = run(WIKIPEDIA, people, seats=2, cap=1)

    assert [p.candidate.handle for p in outcome.order] == ["ed", "al", "cy", "bea", "dan"]
    assert [w.handle for w in outcome.winners] == ["ed", "cy"]
    assert outcome.notes == [
        "@al is passed over: Acme already holds 1 seat, the most one affiliation may hold."
    ]
