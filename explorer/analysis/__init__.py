"""Pure analysis (numpy, networkx): no SQL, no Qt, deterministic for a given seed."""
