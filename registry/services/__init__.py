"""Service functions of the registry: keyword-only `session`, `actor`, `now`; no commits inside
(the caller commits once per request or job, so a refused action changes nothing)."""
