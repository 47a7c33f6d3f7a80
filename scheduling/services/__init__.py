"""Every write of the engine, split by concern. Each takes ``now`` and runs in a transaction."""
