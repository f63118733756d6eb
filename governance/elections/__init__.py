"""Elections: a committee's or group's seats filled by secret ranked ballots, counted with the
Schulze method, certified into roles with terms."""
