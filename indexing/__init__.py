"""Turns the certified library into matcher indexes and keeps them fresh.

- `documents`: library entries -> one resource document and one document per case (facets,
  display fields, priors and flags from the library state).
- `embed_cache`: passage vectors cached by (model id, sha256 of the text) in SQLite.
- `build`: a complete matcher from entries; replacing one resource's documents.
- `snapshot`, `manifest`: snapshot folders with a manifest and an atomic `CURRENT` pointer.
- `cursor`, `source`: where the index stands in the `library_events` outbox; what it reads.
- `live`, `live_status`: `LiveIndex`, serving matches while events and rebuilds change it.
- `query`: filters from what people type; `service`: assembly from plain values.
- `model_build`: the offline embedding model (`funeng model build`).
"""
