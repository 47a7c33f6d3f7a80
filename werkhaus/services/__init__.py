"""Every write at the Werkhaus counter; each takes ``now`` and runs in a transaction."""
