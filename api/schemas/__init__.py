"""Pydantic schemas at the edge of the API, in families `XCreate / XRead / XUpdate`; routes
build them from registry objects and never return ORM rows."""
