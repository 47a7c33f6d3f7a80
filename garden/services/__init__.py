"""Every write of the garden; each takes ``now`` and runs in a transaction."""
