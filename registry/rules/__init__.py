"""The rules of the Measures as pure functions over frozen facts (no database)."""
