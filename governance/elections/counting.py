"""Counting ranked ballots with the Schulze method (the schulze-condorcet library), breaking
ties by a lot anyone can redraw, and applying a committee's per-affiliation cap.

Tie-break rule: candidates the Schulze method ranks equal are ordered by the SHA-256 digest
of "<election slug>:<handle in lower case>", smallest first. The lot is fixed by names the
election publishes, so anyone can redraw it and nobody can steer it after the close.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from schulze_condorcet import pairwise_preference, schulze_evaluate

T = TypeVar("T")

# A ballot: ranks, best first, each a list of the keys ranked equal there.
Ranking = Sequence[Sequence[str]]


def _vote_string(ranking: Ranking, keys: Sequence[str]) -> str:
    """A ballot as the library reads it ("a>b=c>d"), everyone left out tied last."""
    ranked = [[key for key in rank if key in keys] for rank in ranking]
    ranked = [rank for rank in ranked if rank]
    seen = {key for rank in ranked for key in rank}
    rest = [key for key in keys if key not in seen]
    return ">".join("=".join(rank) for rank in [*ranked, *([rest] if rest else [])])


def schulze_levels(
    ballots: Sequence[Ranking], keys: Sequence[str]
) -> tuple[list[list[str]], dict[tuple[str, str], int]]:
    """The Schulze order of `keys` (levels, best first, ties in one level) and the pairwise
    matrix: (x, y) -> how many ballots rank x above y."""
    votes = [_vote_string(ranking, keys) for ranking in ballots]
    order = schulze_evaluate(votes, keys) if keys else ""
    levels = [level.split("=") for level in order.split(">")] if order else []
    preference = pairwise_preference(votes, keys)
    matrix = {(str(x), str(y)): number for (x, y), number in preference.items()}
    return levels, matrix


def lot(election_slug: str, handle: str) -> str:
    """A candidate's place in the tie-break: the digest of the election and their handle."""
    return hashlib.sha256(f"{election_slug}:{handle.lower()}".encode()).hexdigest()


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A candidate in the final order: their Schulze level, and whether a lot placed them."""

    candidate: T
    level: int
    by_lot: bool


@dataclass
class Outcome(Generic[T]):
    """The count: the order, the winners after the cap, and why anyone was passed over."""

    order: list[Placed[T]]
    matrix: dict[tuple[str, str], int]
    winners: list[T]
    notes: list[str] = field(default_factory=list)


def count(
    *,
    ballots: Sequence[Ranking],
    candidates: Sequence[T],
    key: Callable[[T], str],
    handle: Callable[[T], str],
    affiliation: Callable[[T], str],
    election_slug: str,
    seats: int,
    cap: int | None,
) -> Outcome[T]:
    """Rank `candidates` (each known on ballots by `key`) and fill `seats` in that order,
    skipping anyone whose affiliation already holds `cap` of the seats."""
    by_key = {key(candidate): candidate for candidate in candidates}
    levels, matrix = schulze_levels(ballots, list(by_key))
    order: list[Placed[T]] = []
    for number, level in enumerate(levels, start=1):
        tied = sorted(level, key=lambda k: lot(election_slug, handle(by_key[k])))
        order += [Placed(by_key[k], number, by_lot=len(level) > 1) for k in tied]
    winners: list[T] = []
    held: dict[str, int] = {}
    notes = []
    for placed in order:
        if len(winners) == seats:
            break
        name = affiliation(placed.candidate)
        company = name.casefold()
        if cap is not None and company and held.get(company, 0) >= cap:
            notes.append(
                f"@{handle(placed.candidate)} is passed over: {name} already holds {cap} "
                f"seat{'s' if cap != 1 else ''}, the most one affiliation may hold."
            )
            continue
        held[company] = held.get(company, 0) + 1
        winners.append(placed.candidate)
    return Outcome(order=order, matrix=matrix, winners=winners, notes=notes)
