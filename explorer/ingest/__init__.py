"""Reading and writing the positions format (docs/FORMAT.md)."""
